package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.workspace.Member;
import org.syncservice.server.core.MemberRole;
import org.syncservice.server.workspace.SharedWorkspace;
import org.syncservice.server.workspace.WorkspaceView;

/**
 * The rows of {@code workspace_members}, and the shared workspaces they make, as sharing reads and
 * writes them: the statements, in the caller's transaction.
 */
final class MembershipRows {
    private static final String NO_WORKSPACE = "no such workspace";

    private MembershipRows() {
    }

    static Membership membership(Connection c, UUID userId, UUID workspaceId, boolean lock)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT w.workspace_id, w.owner_id, m.role, m.name,"
                + " m.mount_point, w.is_shared, w.latest_change_seq, w.storage_backend, w.storage_container,"
                + " w.storage_prefix FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.workspace_id"
                + " WHERE w.workspace_id = ? AND m.user_id = ?" + (lock ? " FOR UPDATE OF w" : ""))) {
            select.setObject(1, workspaceId);
            select.setObject(2, userId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw ServiceException.notFound(NO_WORKSPACE);
                }
                return membership(row);
            }
        }
    }

    static Membership defaultWorkspace(Connection c, UUID ownerId, boolean lock) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT w.workspace_id, w.owner_id, m.role, m.name,"
                + " m.mount_point, w.is_shared, w.latest_change_seq, w.storage_backend, w.storage_container,"
                + " w.storage_prefix FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.workspace_id"
                + " AND m.user_id = w.owner_id WHERE w.owner_id = ? AND w.is_default"
                + (lock ? " FOR UPDATE OF w" : ""))) {
            select.setObject(1, ownerId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("user " + ownerId + " has no default workspace");
                }
                return membership(row);
            }
        }
    }

    static Membership membership(ResultSet row) throws SQLException {
        return new Membership(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                MemberRole.valueOf(row.getString(3)), row.getString(4), row.getString(5), row.getBoolean(6),
                row.getLong(7), new StorageLocation(StorageConfig.Backend.valueOf(row.getString(8)),
                row.getString(9), row.getString(10)));
    }

    static String ownerMountPoint(Connection c, UUID workspaceId, UUID ownerId) throws SQLException {
        return memberColumn(c, "mount_point", workspaceId, ownerId);
    }

    static String ownerName(Connection c, UUID workspaceId, UUID ownerId) throws SQLException {
        return memberColumn(c, "name", workspaceId, ownerId);
    }

    static String memberColumn(Connection c, String column, UUID workspaceId, UUID userId)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + column
                + " FROM workspace_members WHERE workspace_id = ? AND user_id = ?")) {
            select.setObject(1, workspaceId);
            select.setObject(2, userId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : "";
            }
        }
    }

    static void insertWorkspace(Connection c, UUID workspaceId, UUID ownerId, StorageLocation location)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO workspaces (workspace_id, owner_id,"
                + " is_default, is_shared, storage_backend, storage_container, storage_prefix)"
                + " VALUES (?, ?, false, true, ?, ?, ?)")) {
            insert.setObject(1, workspaceId);
            insert.setObject(2, ownerId);
            insert.setString(3, location.backend().name());
            insert.setString(4, location.container());
            insert.setString(5, location.prefix());
            insert.executeUpdate();
        }
    }

    static void insertMember(Connection c, UUID workspaceId, UUID userId, MemberRole role, String name,
                                     String mountPoint) throws SQLException {
        insertMember(c, workspaceId, userId, role, name, mountPoint, true);
    }

    /** @param grantedDirectly false when only a grant to a group makes the user a member */
    static void insertMember(Connection c, UUID workspaceId, UUID userId, MemberRole role, String name,
                             String mountPoint, boolean grantedDirectly) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO workspace_members (workspace_id, user_id,"
                + " role, name, mount_point, granted_directly) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, workspaceId);
            insert.setObject(2, userId);
            insert.setString(3, role.name());
            insert.setString(4, name);
            insert.setString(5, mountPoint);
            insert.setBoolean(6, grantedDirectly);
            insert.executeUpdate();
        }
    }

    /** The members, already members through a group, now hold the workspace directly too. */
    static void markGrantedDirectly(Connection c, UUID workspaceId, List<UUID> userIds) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE workspace_members SET granted_directly = true"
                + " WHERE workspace_id = ? AND user_id = ANY (?) AND NOT granted_directly")) {
            update.setObject(1, workspaceId);
            update.setArray(2, c.createArrayOf("uuid", userIds.toArray()));
            update.executeUpdate();
        }
    }

    /** Former members' devices forget where they were in the workspace's changes. */
    static void forgetCursors(Connection c, UUID workspaceId, List<UUID> users) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM device_cursors WHERE workspace_id = ?"
                + " AND device_id IN (SELECT device_id FROM devices WHERE user_id = ANY (?))")) {
            delete.setObject(1, workspaceId);
            delete.setArray(2, c.createArrayOf("uuid", users.toArray()));
            delete.executeUpdate();
        }
    }

    static List<UUID> memberIds(Connection c, UUID workspaceId) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        for (Member member : members(c, workspaceId)) {
            ids.add(member.userId());
        }
        return ids;
    }

    static List<Member> members(Connection c, UUID workspaceId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT m.user_id, m.name, u.email, m.role, m.joined_at"
                + " FROM workspace_members m JOIN users u ON u.user_id = m.user_id WHERE m.workspace_id = ?"
                + " ORDER BY m.role <> 'OWNER', m.joined_at, u.email")) {
            select.setObject(1, workspaceId);
            List<Member> members = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    members.add(new Member(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                            MemberRole.valueOf(rows.getString(4)), rows.getTimestamp(5).getTime()));
                }
            }
            return members;
        }
    }

    static Optional<SharedWorkspace> shared(Connection c, UUID userId, UUID workspaceId) throws SQLException {
        WorkspaceView view;
        try (PreparedStatement select = c.prepareStatement(WorkspaceRows.SELECT_VIEW
                + " WHERE m.user_id = ? AND m.workspace_id = ?")) {
            select.setObject(1, userId);
            select.setObject(2, workspaceId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                view = WorkspaceRows.view(rows);
            }
        }
        return Optional.of(new SharedWorkspace(view, members(c, workspaceId)));
    }
}
