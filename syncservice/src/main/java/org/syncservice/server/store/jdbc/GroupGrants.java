package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.syncservice.server.core.MemberRole;
import org.syncservice.server.core.ServiceException;

/**
 * Workspaces' grants to groups and the member rows they make, in the caller's transaction
 * (docs/design.md, "Groups"). Group rows are locked before workspace rows, groups and workspaces
 * each in id order, so no two transactions wait in a cycle; commits lock one workspace only.
 */
final class GroupGrants {

    private GroupGrants() {
    }

    /** A workspace shared with a group, locked, with the role the grant gives and its latest change_seq. */
    record Grant(UUID workspaceId, MemberRole role, long latestChangeSeq) {
    }

    /**
     * Locks the owner's groups, in id order, and reads their members.
     *
     * @throws ServiceException NOT_FOUND naming the first id of no group of the owner's
     */
    static Map<UUID, List<UUID>> lockOwned(Connection c, UUID ownerId, Collection<UUID> groupIds)
            throws SQLException {
        Map<UUID, List<UUID>> groups = new LinkedHashMap<>();
        if (groupIds.isEmpty()) {
            return groups;
        }
        try (PreparedStatement select = c.prepareStatement("SELECT group_id FROM user_groups"
                + " WHERE owner_id = ? AND group_id = ANY (?) ORDER BY group_id FOR UPDATE")) {
            select.setObject(1, ownerId);
            select.setArray(2, c.createArrayOf("uuid", groupIds.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    groups.put(rows.getObject(1, UUID.class), new ArrayList<>());
                }
            }
        }
        for (UUID id : groupIds) {
            if (!groups.containsKey(id)) {
                throw ServiceException.notFound("no such group " + id);
            }
        }
        try (PreparedStatement select = c.prepareStatement("SELECT group_id, user_id FROM group_members"
                + " WHERE group_id = ANY (?) ORDER BY added_at, user_id")) {
            select.setArray(1, c.createArrayOf("uuid", groupIds.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    groups.get(rows.getObject(1, UUID.class)).add(rows.getObject(2, UUID.class));
                }
            }
        }
        return groups;
    }

    /**
     * Grants the workspace to the groups with the role (a group granted it already keeps its
     * grant) and makes their members who are not members yet members.
     *
     * @return the users it made members, in order
     */
    static List<UUID> grant(Connection c, UUID workspaceId, Map<UUID, List<UUID>> groups, MemberRole role,
                            String name) throws SQLException {
        List<UUID> added = new ArrayList<>();
        if (groups.isEmpty()) {
            return added;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO workspace_group_grants (workspace_id,"
                + " group_id, role) VALUES (?, ?, ?) ON CONFLICT (workspace_id, group_id) DO NOTHING")) {
            for (UUID group : groups.keySet()) {
                insert.setObject(1, workspaceId);
                insert.setObject(2, group);
                insert.setString(3, role.name());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        List<UUID> before = MembershipRows.memberIds(c, workspaceId);
        for (List<UUID> members : groups.values()) {
            for (UUID user : members) {
                if (!before.contains(user) && !added.contains(user)) {
                    MembershipRows.insertMember(c, workspaceId, user, role, name, "", false);
                    added.add(user);
                }
            }
        }
        return added;
    }

    /** The workspaces shared with the group, locked in id order. */
    static List<Grant> lockGranted(Connection c, UUID groupId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT w.workspace_id, g.role, w.latest_change_seq FROM workspaces w"
                + " JOIN workspace_group_grants g ON g.workspace_id = w.workspace_id WHERE g.group_id = ?"
                + " ORDER BY w.workspace_id FOR UPDATE OF w")) {
            select.setObject(1, groupId);
            List<Grant> grants = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    grants.add(new Grant(rows.getObject(1, UUID.class), MemberRole.valueOf(rows.getString(2)),
                            rows.getLong(3)));
                }
            }
            return grants;
        }
    }

    /** The user, who just joined a group, gains the granted workspaces they were no member of. */
    static void join(Connection c, List<Grant> grants, UUID ownerId, UUID userId) throws SQLException {
        for (Grant grant : grants) {
            List<UUID> before = MembershipRows.memberIds(c, grant.workspaceId());
            if (before.contains(userId)) {
                continue;
            }
            MembershipRows.insertMember(c, grant.workspaceId(), userId, grant.role(),
                    MembershipRows.ownerName(c, grant.workspaceId(), ownerId), "", false);
            OutboxRows.workspace(c, OutboxKind.WORKSPACE_SHARED, grant.workspaceId(), userId);
            for (UUID member : before) {
                OutboxRows.workspace(c, OutboxKind.MEMBERS_CHANGED, grant.workspaceId(), member);
            }
        }
    }

    /**
     * The user, whose group membership is already deleted, leaves the granted workspaces they held
     * through grants alone (not shared with them directly nor through another of their groups).
     *
     * @return the workspaces left, each with its latest change_seq when the user left it
     */
    static Map<UUID, Long> leave(Connection c, List<Grant> grants, UUID userId) throws SQLException {
        Map<UUID, Long> left = new LinkedHashMap<>();
        for (Grant grant : grants) {
            int deleted;
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM workspace_members m"
                    + " WHERE m.workspace_id = ? AND m.user_id = ? AND NOT m.granted_directly AND m.role <> 'OWNER'"
                    + " AND NOT EXISTS (SELECT 1 FROM workspace_group_grants g JOIN group_members gm"
                    + " ON gm.group_id = g.group_id WHERE g.workspace_id = m.workspace_id AND gm.user_id = m.user_id)")) {
                delete.setObject(1, grant.workspaceId());
                delete.setObject(2, userId);
                deleted = delete.executeUpdate();
            }
            if (deleted == 0) {
                continue;
            }
            left.put(grant.workspaceId(), grant.latestChangeSeq());
            MembershipRows.forgetCursors(c, grant.workspaceId(), List.of(userId));
            OutboxRows.workspace(c, OutboxKind.WORKSPACE_UNSHARED, grant.workspaceId(), userId);
            for (UUID member : MembershipRows.memberIds(c, grant.workspaceId())) {
                OutboxRows.workspace(c, OutboxKind.MEMBERS_CHANGED, grant.workspaceId(), member);
            }
        }
        return left;
    }

    /** Whether the user holds the workspace through a group shared with it. */
    static boolean holdsThroughGroup(Connection c, UUID workspaceId, UUID userId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM workspace_group_grants g"
                + " JOIN group_members gm ON gm.group_id = g.group_id WHERE g.workspace_id = ? AND gm.user_id = ?")) {
            select.setObject(1, workspaceId);
            select.setObject(2, userId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }
}
