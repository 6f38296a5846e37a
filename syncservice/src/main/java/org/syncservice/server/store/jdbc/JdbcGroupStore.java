package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.workspace.Group;
import org.syncservice.server.workspace.GroupStore;
import org.syncservice.server.workspace.UserRef;

/**
 * Groups in PostgreSQL. A change locks the group's row, then the rows of the workspaces shared
 * with it ({@link GroupGrants}), before it changes a membership. Every change sets a state, so a
 * retry whose first COMMIT was in doubt answers alike. Thread-safe.
 */
public final class JdbcGroupStore implements GroupStore {
    private static final String NO_GROUP = "no such group";

    private final Transactions tx;

    public JdbcGroupStore(DataSource dataSource) {
        this.tx = new Transactions(dataSource);
    }

    private record GroupRow(UUID groupId, String name) {
    }

    @Override
    public Group create(UUID ownerId, UUID groupId, String name) {
        return tx.inTransaction(StoredAnswers.naturallyIdempotent(), c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO user_groups (group_id, owner_id, name)"
                    + " VALUES (?, ?, ?) ON CONFLICT (owner_id, name) DO NOTHING")) {
                insert.setObject(1, groupId);
                insert.setObject(2, ownerId);
                insert.setString(3, name);
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT group_id, name FROM user_groups WHERE owner_id = ? AND name = ?")) {
                select.setObject(1, ownerId);
                select.setString(2, name);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return group(c, ownerId, new GroupRow(row.getObject(1, UUID.class), row.getString(2)));
                }
            }
        });
    }

    @Override
    public Group addMember(UUID ownerId, UUID groupId, String email) {
        return tx.inTransaction(StoredAnswers.naturallyIdempotent(), c -> {
            GroupRow group = lockOwned(c, ownerId, groupId);
            UUID userId = userByEmail(c, email);
            List<GroupGrants.Grant> grants = GroupGrants.lockGranted(c, groupId);
            int added;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO group_members (group_id, user_id)"
                    + " VALUES (?, ?) ON CONFLICT (group_id, user_id) DO NOTHING")) {
                insert.setObject(1, groupId);
                insert.setObject(2, userId);
                added = insert.executeUpdate();
            }
            if (added > 0) {
                GroupGrants.join(c, grants, ownerId, userId);
            }
            return group(c, ownerId, group);
        });
    }

    @Override
    public Removal removeMember(UUID ownerId, UUID groupId, String email) {
        return tx.inTransaction(StoredAnswers.naturallyIdempotent(), c -> {
            GroupRow group = lockOwned(c, ownerId, groupId);
            UUID userId = userByEmail(c, email);
            List<GroupGrants.Grant> grants = GroupGrants.lockGranted(c, groupId);
            Map<UUID, Long> left = deleteMembers(c, groupId, userId).contains(userId)
                    ? GroupGrants.leave(c, grants, userId) : Map.of();
            return new Removal(group(c, ownerId, group), userId, left);
        });
    }

    @Override
    public List<Group> groups(UUID ownerId) {
        return tx.inTransaction(c -> {
            List<GroupRow> rows = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT group_id, name FROM user_groups WHERE owner_id = ? ORDER BY name, group_id")) {
                select.setObject(1, ownerId);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows.add(new GroupRow(row.getObject(1, UUID.class), row.getString(2)));
                    }
                }
            }
            List<Group> groups = new ArrayList<>();
            for (GroupRow row : rows) {
                groups.add(group(c, ownerId, row));
            }
            return groups;
        });
    }

    @Override
    public void delete(UUID ownerId, UUID groupId) {
        tx.inTransaction(c -> {
            lockOwned(c, ownerId, groupId);
            List<GroupGrants.Grant> grants = GroupGrants.lockGranted(c, groupId);
            for (UUID member : deleteMembers(c, groupId, null)) {
                GroupGrants.leave(c, grants, member);
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM user_groups WHERE group_id = ?")) {
                delete.setObject(1, groupId);
                delete.executeUpdate();
            }
            return null;
        });
    }

    private static GroupRow lockOwned(Connection c, UUID ownerId, UUID groupId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT group_id, name FROM user_groups WHERE group_id = ? AND owner_id = ? FOR UPDATE")) {
            select.setObject(1, groupId);
            select.setObject(2, ownerId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw ServiceException.notFound(NO_GROUP);
                }
                return new GroupRow(row.getObject(1, UUID.class), row.getString(2));
            }
        }
    }

    private static UUID userByEmail(Connection c, String email) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT user_id FROM users WHERE email = ?")) {
            select.setString(1, email);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw ServiceException.notFound("no user with the email " + email);
                }
                return row.getObject(1, UUID.class);
            }
        }
    }

    /** Deletes the user's membership of the group (every membership when null); who was deleted. */
    private static List<UUID> deleteMembers(Connection c, UUID groupId, UUID userId) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM group_members WHERE group_id = ?"
                + (userId == null ? "" : " AND user_id = ?") + " RETURNING user_id")) {
            delete.setObject(1, groupId);
            if (userId != null) {
                delete.setObject(2, userId);
            }
            List<UUID> deleted = new ArrayList<>();
            try (ResultSet rows = delete.executeQuery()) {
                while (rows.next()) {
                    deleted.add(rows.getObject(1, UUID.class));
                }
            }
            return deleted;
        }
    }

    private static Group group(Connection c, UUID ownerId, GroupRow row) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT u.user_id, u.email FROM group_members g"
                + " JOIN users u ON u.user_id = g.user_id WHERE g.group_id = ? ORDER BY g.added_at, u.email")) {
            select.setObject(1, row.groupId());
            List<UserRef> members = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    members.add(new UserRef(rows.getObject(1, UUID.class), rows.getString(2)));
                }
            }
            return new Group(row.groupId(), ownerId, row.name(), members);
        }
    }
}
