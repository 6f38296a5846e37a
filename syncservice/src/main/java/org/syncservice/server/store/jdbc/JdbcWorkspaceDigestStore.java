package org.syncservice.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.syncservice.server.sync.LiveItemDigest;
import org.syncservice.server.sync.WorkspaceDigest;
import org.syncservice.server.sync.WorkspaceDigestStore;

/**
 * Workspace digests from PostgreSQL. The change sequence number and the items are read in one
 * REPEATABLE READ, read-only transaction: both statements see the same snapshot, so the number
 * names exactly the state the digest sums up, while commits go on (they take no lock a reader
 * waits for). The items are streamed in pages of {@link #FETCH_SIZE} rows, so a large workspace
 * does not sit in memory. Thread-safe: each call takes its own pooled connection.
 */
public final class JdbcWorkspaceDigestStore implements WorkspaceDigestStore {
    static final int FETCH_SIZE = 1000;

    /** The snapshot's isolation (before any query) and the sequence number, in one round trip. */
    private static final String SEQUENCE = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;"
            + " SELECT w.latest_change_seq FROM workspaces w WHERE w.workspace_id = ? AND " + JdbcSyncStore.MEMBER;
    private static final String LIVE_ITEMS = "SELECT item_id, latest_version FROM items"
            + " WHERE workspace_id = ? AND NOT deleted ORDER BY item_id";

    private final Transactions transactions;

    public JdbcWorkspaceDigestStore(DataSource dataSource) {
        this.transactions = new Transactions(dataSource);
    }

    @Override
    public Optional<WorkspaceDigest> digest(UUID workspaceId, UUID userId) {
        return transactions.inTransaction(connection -> {
            long changeSeq;
            try (PreparedStatement select = connection.prepareStatement(SEQUENCE)) {
                select.setObject(1, workspaceId);
                select.setObject(2, workspaceId);
                select.setObject(3, userId);
                try (ResultSet row = Transactions.firstResultSet(select)) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    changeSeq = row.getLong(1);
                }
            }
            LiveItemDigest digest = new LiveItemDigest();
            try (PreparedStatement select = connection.prepareStatement(LIVE_ITEMS)) {
                select.setFetchSize(FETCH_SIZE);
                select.setObject(1, workspaceId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        digest.add(rows.getLong(1), rows.getLong(2));
                    }
                }
            }
            return Optional.of(new WorkspaceDigest(changeSeq, digest.count(), digest.hex()));
        });
    }
}
