package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.syncservice.server.core.MemberRole;
import org.syncservice.server.sync.WorkspaceBatch.Access;
import org.syncservice.server.sync.WorkspaceBatch.RequestKey;
import org.syncservice.server.sync.WorkspaceTransaction.LockedWorkspace;

/**
 * Locks several workspaces, each for a member only, and then their owners' rows (quota), in the
 * one order every commit follows: workspaces before users, each kind by ascending id. A single
 * commit locks its workspace and then its owner, so it fits the same order, and no two commits
 * ever wait for each other in a cycle. One statement (and the round's reads after it), one round
 * trip: its first branch locks the
 * workspaces, one lateral probe per element of the sorted arrays; its second the distinct owners,
 * sorted; its third reserves the ids of the new items; its fourth finds which requests have stored
 * answers. A lock that had to wait returns the row as its holder left it (PostgreSQL re-reads a
 * locked row), so sequence numbers and quotas are fresh; the stored answers are read from the
 * statement's snapshot, which a concurrent retry of the same request may have overtaken: that
 * retry's answer then meets this transaction's on the primary key, and this one rolls back.
 *
 * <p>The callers' roles are read by a statement of their own after the locking one ({@link #ROLES}),
 * not by the locking statement's membership probe: that probe sees the memberships of the
 * statement's snapshot, taken before it waited for a lock, and PostgreSQL re-reads only the locked
 * rows. A role change or removal holds the workspace's lock too (sharing), so the later statement
 * sees whatever the lock's previous holder committed: a commit racing a downgrade either locked the
 * workspace first and lands before it, or finds the new role and is refused, never stored after it.
 */
final class WorkspaceLocks {
    private static final String LOCK = "WITH ws AS MATERIALIZED ("
            + " SELECT w.* FROM unnest(?::uuid[], ?::uuid[]) AS k (workspace_id, user_id)"
            + " CROSS JOIN LATERAL (SELECT w.workspace_id, w.owner_id, w.latest_change_seq FROM workspaces w"
            + " WHERE w.workspace_id = k.workspace_id AND EXISTS (SELECT 1 FROM workspace_members m"
            + " WHERE m.workspace_id = k.workspace_id AND m.user_id = k.user_id) FOR UPDATE) w"
            + "), owners AS MATERIALIZED ("
            + " SELECT u.* FROM (SELECT DISTINCT owner_id FROM ws ORDER BY owner_id) o"
            + " CROSS JOIN LATERAL (SELECT u.user_id, u.quota_used_bytes, u.quota_limit_bytes FROM users u"
            + " WHERE u.user_id = o.owner_id FOR UPDATE) u"
            + ") SELECT 'w', workspace_id, owner_id, latest_change_seq, 0::bigint, NULL::text FROM ws"
            + " UNION ALL SELECT 'u', user_id, NULL, quota_used_bytes, quota_limit_bytes, NULL FROM owners"
            + " UNION ALL SELECT 'n', NULL, NULL, nextval(pg_get_serial_sequence('items', 'item_id')), 0, NULL"
            + " FROM generate_series(1, ?)"
            + " UNION ALL SELECT 'r', k.device_id, NULL, 0, 0, k.request_id"
            + " FROM unnest(?::uuid[], ?::text[]) AS k (device_id, request_id)"
            + " CROSS JOIN LATERAL (SELECT 1 FROM request_log r"
            + " WHERE r.device_id = k.device_id AND r.request_id = k.request_id OFFSET 0) r";
    /** Each access's role, read after the locks (see above); a user without one is no member. */
    private static final String ROLES = ";SELECT k.workspace_id, k.user_id, m.role"
            + " FROM unnest(?::uuid[], ?::uuid[]) AS k (workspace_id, user_id)"
            + " CROSS JOIN LATERAL (SELECT role FROM workspace_members m"
            + " WHERE m.workspace_id = k.workspace_id AND m.user_id = k.user_id OFFSET 0) m";
    /**
     * {@link #LOCK} followed by each variant of the reads, built once: the driver keys its cache of
     * prepared statements by the SQL text and hashes it for every statement, and a string built
     * per round would be hashed (several kilobytes) every time.
     */
    private static final Map<String, String> LOCK_THEN = PrefetchReads.STATEMENT_VARIANTS.stream()
            .collect(Collectors.toUnmodifiableMap(reads -> reads, reads -> LOCK + ROLES + reads));

    private record Workspace(UUID ownerId, long latestChangeSeq) {
    }

    private record Owner(long quotaUsedBytes, long quotaLimitBytes) {
    }

    private record Member(UUID workspaceId, UUID userId) {
    }

    /**
     * @param workspaces per access, in order, its locked workspace with the user's role; empty where
     *     the user is not a member
     * @param newIds the reserved item ids
     * @param recorded the accesses' requests that have a stored answer
     */
    record Locked(List<Optional<LockedWorkspace>> workspaces, long[] newIds, Set<RequestKey> recorded) {
    }

    private WorkspaceLocks() {
    }

    /**
     * Takes the locks and, in the same round trip, makes {@code reads} (their statements run after
     * the locking one, in the same transaction, so they see what the previous holders committed).
     */
    static Locked lock(Connection connection, List<Access> accesses, int newItems, PrefetchReads reads)
            throws SQLException {
        List<Access> sorted = new ArrayList<>(accesses);
        sorted.sort((a, b) -> a.workspaceId().compareTo(b.workspaceId()));
        Map<UUID, Workspace> workspaces = new HashMap<>();
        Map<UUID, Owner> owners = new HashMap<>();
        long[] ids = new long[newItems];
        Set<RequestKey> recorded = new HashSet<>();
        Map<Member, MemberRole> roles = new HashMap<>();
        int nextId = 0;
        try (PreparedStatement select = connection.prepareStatement(LOCK_THEN.get(reads.sql()))) {
            Object[] workspaceIds = sorted.stream().map(Access::workspaceId).toArray();
            Object[] userIds = sorted.stream().map(Access::userId).toArray();
            select.setArray(1, connection.createArrayOf("uuid", workspaceIds));
            select.setArray(2, connection.createArrayOf("uuid", userIds));
            select.setInt(3, newItems);
            select.setArray(4, connection.createArrayOf("uuid",
                    accesses.stream().map(a -> a.request().deviceId()).toArray()));
            select.setArray(5, connection.createArrayOf("text",
                    accesses.stream().map(a -> a.request().requestId()).toArray(String[]::new)));
            select.setArray(6, connection.createArrayOf("uuid", workspaceIds));
            select.setArray(7, connection.createArrayOf("uuid", userIds));
            reads.bind(connection, select, 8); // after the locking statement's five parameters and the roles' two
            select.execute();
            try (ResultSet rows = select.getResultSet()) {
                while (rows.next()) {
                    switch (rows.getString(1)) {
                        case "w" -> workspaces.put(rows.getObject(2, UUID.class),
                                new Workspace(rows.getObject(3, UUID.class), rows.getLong(4)));
                        case "u" -> owners.put(rows.getObject(2, UUID.class), new Owner(rows.getLong(4), rows.getLong(5)));
                        case "r" -> recorded.add(new RequestKey(rows.getObject(2, UUID.class), rows.getString(6)));
                        default -> ids[nextId++] = rows.getLong(4);
                    }
                }
            }
            if (!select.getMoreResults()) {
                throw new SQLException("the roles statement returned no rows result");
            }
            try (ResultSet rows = select.getResultSet()) {
                while (rows.next()) {
                    roles.put(new Member(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class)),
                            MemberRole.valueOf(rows.getString(3)));
                }
            }
            reads.read(select);
        }
        List<Optional<LockedWorkspace>> locked = new ArrayList<>(accesses.size());
        for (Access access : accesses) {
            Workspace workspace = workspaces.get(access.workspaceId());
            Owner owner = workspace == null ? null : owners.get(workspace.ownerId());
            MemberRole role = roles.get(new Member(access.workspaceId(), access.userId()));
            locked.add(owner == null || role == null ? Optional.empty() : Optional.of(new LockedWorkspace(
                    access.workspaceId(), workspace.ownerId(), workspace.latestChangeSeq(), owner.quotaUsedBytes(),
                    owner.quotaLimitBytes(), role)));
        }
        return new Locked(locked, ids, recorded);
    }
}
