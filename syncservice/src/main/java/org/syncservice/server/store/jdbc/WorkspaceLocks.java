package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.syncservice.server.sync.WorkspaceBatch.Access;
import org.syncservice.server.sync.WorkspaceTransaction.LockedWorkspace;

/**
 * Locks several workspaces, each for a member only, and then their owners' rows (quota), in the
 * one order every commit follows: workspaces before users, each kind by ascending id. A single
 * commit locks its workspace and then its owner, so it fits the same order, and no two commits
 * ever wait for each other in a cycle. The rows are locked in the order of the arrays, which are
 * sorted here: each element is one probe of a lateral subquery that holds the FOR UPDATE.
 */
final class WorkspaceLocks {
    private static final String LOCK_WORKSPACES = "SELECT w.workspace_id, w.owner_id, w.latest_change_seq"
            + " FROM unnest(?::uuid[], ?::uuid[]) AS k (workspace_id, user_id)"
            + " CROSS JOIN LATERAL (SELECT w.workspace_id, w.owner_id, w.latest_change_seq FROM workspaces w"
            + " WHERE w.workspace_id = k.workspace_id AND EXISTS (SELECT 1 FROM workspace_members m"
            + " WHERE m.workspace_id = k.workspace_id AND m.user_id = k.user_id) FOR UPDATE) w";
    private static final String LOCK_OWNERS = "SELECT u.user_id, u.quota_used_bytes, u.quota_limit_bytes"
            + " FROM unnest(?::uuid[]) AS k (user_id)"
            + " CROSS JOIN LATERAL (SELECT u.user_id, u.quota_used_bytes, u.quota_limit_bytes FROM users u"
            + " WHERE u.user_id = k.user_id FOR UPDATE) u";

    private record Workspace(UUID ownerId, long latestChangeSeq) {
    }

    private record Owner(long quotaUsedBytes, long quotaLimitBytes) {
    }

    private WorkspaceLocks() {
    }

    /** @return per access, in order, its locked workspace; empty where the user is not a member */
    static List<Optional<LockedWorkspace>> lock(Connection connection, List<Access> accesses) throws SQLException {
        List<Access> sorted = new ArrayList<>(accesses);
        sorted.sort((a, b) -> a.workspaceId().compareTo(b.workspaceId()));
        Map<UUID, Workspace> workspaces = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(LOCK_WORKSPACES)) {
            select.setArray(1, connection.createArrayOf("uuid", sorted.stream().map(Access::workspaceId).toArray()));
            select.setArray(2, connection.createArrayOf("uuid", sorted.stream().map(Access::userId).toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    workspaces.put(rows.getObject(1, UUID.class),
                            new Workspace(rows.getObject(2, UUID.class), rows.getLong(3)));
                }
            }
        }
        TreeSet<UUID> ownerIds = new TreeSet<>();
        workspaces.values().forEach(w -> ownerIds.add(w.ownerId()));
        Map<UUID, Owner> owners = new HashMap<>();
        if (!ownerIds.isEmpty()) {
            try (PreparedStatement select = connection.prepareStatement(LOCK_OWNERS)) {
                select.setArray(1, connection.createArrayOf("uuid", ownerIds.toArray()));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        owners.put(rows.getObject(1, UUID.class), new Owner(rows.getLong(2), rows.getLong(3)));
                    }
                }
            }
        }
        List<Optional<LockedWorkspace>> locked = new ArrayList<>(accesses.size());
        for (Access access : accesses) {
            Workspace workspace = workspaces.get(access.workspaceId());
            Owner owner = workspace == null ? null : owners.get(workspace.ownerId());
            locked.add(owner == null ? Optional.empty() : Optional.of(new LockedWorkspace(access.workspaceId(),
                    workspace.ownerId(), workspace.latestChangeSeq(), owner.quotaUsedBytes(), owner.quotaLimitBytes())));
        }
        return locked;
    }
}
