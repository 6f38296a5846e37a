package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.sync.SyncStore;
import org.syncservice.server.sync.WorkspaceBatch;
import org.syncservice.server.sync.WorkspaceTransaction.LockedWorkspace;

/**
 * Items, versions and stored answers in PostgreSQL. Every statement names the workspace, and every
 * entry point checks the caller's membership in the same statement or transaction. Thread-safe:
 * each call takes its own pooled connection.
 */
public final class JdbcSyncStore implements SyncStore {
    /** The caller's membership, for a statement's WHERE: workspace id, then user id. */
    static final String MEMBER = "EXISTS (SELECT 1 FROM workspace_members m"
            + " WHERE m.workspace_id = ? AND m.user_id = ?)";

    private final Transactions transactions;

    public JdbcSyncStore(DataSource dataSource) {
        this.transactions = new Transactions(dataSource);
    }

    @Override
    public <T> T inWorkspaces(List<WorkspaceBatch.Access> accesses, int newItems, List<WorkspaceBatch.Prefetch> wants,
                              Function<WorkspaceBatch, T> work) {
        StoredAnswers answers = new StoredAnswers();
        return transactions.inTransaction(answers, connection -> {
            PrefetchReads reads = new PrefetchReads(accesses, wants);
            WorkspaceLocks.Locked locked = WorkspaceLocks.lock(connection, accesses, newItems, reads);
            List<Optional<JdbcWorkspaceTransaction>> views = new ArrayList<>(accesses.size());
            for (Optional<LockedWorkspace> workspace : locked.workspaces()) {
                views.add(workspace.map(w -> new JdbcWorkspaceTransaction(connection, w)));
            }
            JdbcWorkspaceBatch batch = new JdbcWorkspaceBatch(connection, views, locked.newIds(),
                    locked.recorded());
            batch.prefetched(reads);
            T result = work.apply(batch);
            write(connection, batch.applied(), answers);
            return result;
        });
    }

    /**
     * Writes the plans the views applied. A request id stored meanwhile by the same device (its
     * retry, served elsewhere at the same moment with another body) surfaces here.
     */
    private static void write(Connection connection, List<CommitWriter.Pending> applied, StoredAnswers answers)
            throws SQLException {
        try {
            new CommitWriter(connection, applied, answers).write();
        } catch (SQLException e) {
            if (applied.size() == 1 && Transactions.isUniqueViolation(e)
                    && String.valueOf(e.getMessage()).contains("request_log_pkey")) {
                throw ServiceException.invalidArgument("request_id", "request_id "
                        + applied.get(0).plan().requestId() + " was already used for a different request");
            }
            throw e;
        }
    }

    /**
     * The snapshot's first statement: the transaction's isolation (it must come before any query),
     * the listing's planning (see {@link JdbcListingSnapshot}) and the sequence numbers with the
     * membership check, in one round trip.
     */
    private static final String SEQUENCE = "SELECT w.latest_change_seq, w.purged_up_to_seq, k.epoch"
            + " FROM workspaces w CROSS JOIN cursor_keys k WHERE w.workspace_id = ? AND " + MEMBER;
    private static final String SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;"
            + " SET LOCAL plan_cache_mode = force_custom_plan; " + SEQUENCE;

    @Override
    public <T> Optional<T> inSnapshot(UUID workspaceId, UUID userId, Function<ListingSnapshot, T> work) {
        return transactions.inTransaction(connection -> sequence(connection, SNAPSHOT, workspaceId, userId)
                .map(sequence -> work.apply(new JdbcListingSnapshot(connection, workspaceId, sequence))));
    }

    @Override
    public Optional<WorkspaceSequence> sequence(UUID workspaceId, UUID userId) {
        return transactions.inTransaction(connection -> sequence(connection, SEQUENCE, workspaceId, userId));
    }

    private static Optional<WorkspaceSequence> sequence(Connection connection, String sql, UUID workspaceId,
                                                        UUID userId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, workspaceId);
            select.setObject(2, workspaceId);
            select.setObject(3, userId);
            try (ResultSet row = Transactions.firstResultSet(select)) {
                return row.next() ? Optional.of(new WorkspaceSequence(row.getLong(1), row.getLong(2), row.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    @Override
    public Optional<List<ItemVersion>> versions(UUID workspaceId, UUID userId, long itemId, long beforeVersion,
                                                int limit) {
        return transactions.inTransaction(connection -> {
            try (PreparedStatement exists = connection.prepareStatement(
                    "SELECT 1 FROM items WHERE item_id = ? AND workspace_id = ? AND " + MEMBER)) {
                exists.setLong(1, itemId);
                exists.setObject(2, workspaceId);
                exists.setObject(3, workspaceId);
                exists.setObject(4, userId);
                try (ResultSet row = exists.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT " + ItemRows.VERSION_COLUMNS
                    + " FROM item_versions WHERE item_id = ? AND workspace_id = ? AND version < ?"
                    + " ORDER BY version DESC LIMIT ?")) {
                select.setLong(1, itemId);
                select.setObject(2, workspaceId);
                select.setLong(3, beforeVersion);
                select.setInt(4, limit);
                List<ItemVersion> versions = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        versions.add(ItemRows.version(rows));
                    }
                }
                return Optional.of(versions);
            }
        });
    }

    @Override
    public boolean acknowledge(UUID workspaceId, UUID userId, UUID deviceId, long changeSeq) {
        return transactions.inTransaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO device_cursors (device_id, workspace_id, change_seq)"
                            + " SELECT ?, w.workspace_id, LEAST(?, w.latest_change_seq) FROM workspaces w"
                            + " WHERE w.workspace_id = ? AND " + MEMBER
                            + " ON CONFLICT (device_id, workspace_id) DO UPDATE"
                            + " SET change_seq = GREATEST(device_cursors.change_seq, EXCLUDED.change_seq),"
                            + " updated_at = now()")) {
                upsert.setObject(1, deviceId);
                upsert.setLong(2, changeSeq);
                upsert.setObject(3, workspaceId);
                upsert.setObject(4, workspaceId);
                upsert.setObject(5, userId);
                return upsert.executeUpdate() > 0;
            }
        });
    }
}
