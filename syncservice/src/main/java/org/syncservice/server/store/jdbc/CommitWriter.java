package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.syncservice.server.store.jdbc.RequestLogRows.ItemAnswer;
import org.syncservice.server.sync.CommitPlan;
import org.syncservice.server.sync.CommitPlan.PlannedWrite;
import org.syncservice.server.sync.ItemNames;
import org.syncservice.server.sync.ItemResult;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.sync.WorkspaceTransaction.LockedWorkspace;

/**
 * Writes the plans of one transaction's commits (one, or several of different workspaces served
 * together): new item states, their versions, the tombstones of deleted folders' subtrees, the
 * depths under moved folders, each workspace's sequence number, the owners' quota, the outbox rows
 * that announce the commits and the stored answers, in few round trips whatever the number of
 * commits: the updates of existing items (one batch), one statement per deleted folder (its
 * subtree's tombstones), one statement for everything else ({@link #WRITE_ALL}), and one per moved
 * folder (its subtree's depths).
 *
 * <p>Updates go before inserts, so that a new item can take a name an existing item gave up in
 * the same commit; the parent reference is checked at commit time, so an existing item can move
 * into a folder created by the same commit. Nothing new can be created in a folder the same commit
 * deletes, so the tombstones can go before the inserts; the depths go after them, so that they
 * cover new items under a moved folder. The plans of one writer are of distinct workspaces.
 */
final class CommitWriter {
    private static final String UPDATE_ITEM = "UPDATE items SET parent_id = ?, name = ?, name_key = ?, depth = ?,"
            + " latest_version = ?, status = ?, deleted = ?, mime_type = ?, checksum = ?, size_bytes = ?,"
            + " modified_at = ?, chunks = ?, change_seq = ?, device_id = ?, committed_at = ?,"
            + " tree_seq = CASE WHEN parent_id IS NOT DISTINCT FROM ? THEN tree_seq ELSE ? END"
            + " WHERE item_id = ? AND workspace_id = ?";
    private static final String DELETE_SUBTREE = "WITH RECURSIVE sub AS ("
            + " SELECT item_id, is_folder, size_bytes, deleted FROM items WHERE parent_id = ? AND workspace_id = ?"
            + " UNION ALL SELECT i.item_id, i.is_folder, i.size_bytes, i.deleted FROM items i"
            + " JOIN sub s ON i.parent_id = s.item_id"
            + "), gone AS ("
            + " UPDATE items i SET deleted = true, status = 'DELETED', latest_version = i.latest_version + 1,"
            + " checksum = '', size_bytes = 0, chunks = '{}', change_seq = ?, device_id = ?, committed_at = ?"
            + " FROM sub WHERE i.item_id = sub.item_id AND NOT sub.deleted RETURNING i.*"
            + "), versions AS ("
            + " INSERT INTO item_versions (item_id, workspace_id, parent_id, name, is_folder, version, status,"
            + " mime_type, checksum, size_bytes, modified_at, chunks, change_seq, device_id, committed_at, request_id)"
            + " SELECT item_id, workspace_id, parent_id, name, is_folder, latest_version, status, mime_type,"
            + " checksum, size_bytes, modified_at, chunks, change_seq, device_id, committed_at, ? FROM gone"
            + " RETURNING 1"
            + ") SELECT COALESCE(SUM(size_bytes) FILTER (WHERE NOT is_folder AND NOT deleted), 0),"
            + " (SELECT count(*) FROM versions) FROM sub";
    /**
     * A moved folder's subtree: new depths, and the commit's sequence number as the items' tree_seq
     * and change_seq, also where the depth stays. Their place in the tree changed with the folder's,
     * so listings that began before the move defer them and the next listing lists them again
     * (docs/design.md, getChanges); they get no new version, their content did not change.
     */
    private static final String FIX_DEPTHS = "WITH RECURSIVE sub AS ("
            + " SELECT item_id, depth FROM items WHERE item_id = ? AND workspace_id = ?"
            + " UNION ALL SELECT c.item_id, s.depth + 1 FROM items c JOIN sub s ON c.parent_id = s.item_id"
            + ") UPDATE items i SET depth = sub.depth, tree_seq = ?, change_seq = GREATEST(i.change_seq, ?)"
            + " FROM sub WHERE i.item_id = sub.item_id";

    /** A plan, with the bytes its deleted folders' subtrees held: a row of {@link #PLANS}. */
    private record PlanRow(Pending one, long freedBytes) {
    }

    /**
     * One write of a plan, its chunks being {@code chunkFrom..chunkTo} (1-based, inclusive) of the
     * statement's one chunk array: a row of {@link #WRITES}.
     */
    private record WriteRow(Pending one, PlannedWrite write, int chunkFrom, int chunkTo) {
        ItemVersion item() {
            return write.state();
        }
    }

    private static final ArrayColumns<PlanRow> PLANS = ArrayColumns.<PlanRow>builder()
            .column("workspace_id", "uuid", row -> row.one().workspace().workspaceId())
            .column("change_seq", "int8", row -> row.one().plan().changeSeq())
            .column("owner_id", "uuid", row -> row.one().workspace().ownerId())
            .column("quota_delta", "int8", row -> row.one().plan().quotaDeltaBytes() - row.freedBytes())
            .column("device_id", "uuid", row -> row.one().plan().deviceId())
            .column("request_id", "text", row -> row.one().plan().requestId())
            .column("operation", "text", row -> row.one().plan().operation())
            .column("request_hash", "bytea", row -> row.one().plan().requestHash())
            .build();

    private static final ArrayColumns<WriteRow> WRITES = ArrayColumns.<WriteRow>builder()
            .column("item_id", "int8", row -> row.item().itemId())
            .column("workspace_id", "uuid", row -> row.one().workspace().workspaceId())
            .column("parent_id", "int8", row -> row.item().parentId())
            .column("name", "text", row -> row.item().name())
            .column("name_key", "text", row -> ItemNames.key(row.item().name()))
            .column("depth", "int4", row -> row.write().depth())
            .column("version", "int8", row -> row.item().version())
            .column("status", "text", row -> row.item().status().name())
            .column("deleted", "bool", row -> row.item().deleted())
            .column("mime_type", "text", row -> row.item().mimeType())
            .column("checksum", "text", row -> row.item().checksum())
            .column("size_bytes", "int8", row -> row.item().size())
            .column("modified_ms", "int8", row -> row.item().modifiedAtMs())
            .column("chunk_from", "int4", WriteRow::chunkFrom)
            .column("chunk_to", "int4", WriteRow::chunkTo)
            .column("change_seq", "int8", row -> row.item().changeSeq())
            .column("device_id", "uuid", row -> row.item().deviceId())
            .column("committed_ms", "int8", row -> row.item().committedAtMs())
            .column("is_folder", "bool", row -> row.item().folder())
            .column("is_new", "bool", row -> row.write().insert())
            .column("request_id", "text", row -> row.one().plan().requestId())
            .build();

    /**
     * Takes the sequence numbers, charges the owners, queues the notifications and stores the
     * answers of every plan: one statement, one round trip. Each part touches only the plans that
     * have something for it.
     */
    private static final String FINISH = "WITH p AS MATERIALIZED (SELECT * FROM " + PLANS.unnest("p")
            + "), sequence AS ("
            + " UPDATE workspaces w SET latest_change_seq = p.change_seq FROM p"
            + " WHERE w.workspace_id = p.workspace_id AND p.change_seq > 0 RETURNING 1"
            + "), quota AS ("
            + " UPDATE users u SET quota_used_bytes = GREATEST(0, u.quota_used_bytes + q.delta)"
            + " FROM (SELECT owner_id, sum(quota_delta) AS delta FROM p GROUP BY owner_id) q"
            + " WHERE u.user_id = q.owner_id AND q.delta <> 0 RETURNING 1"
            + "), " + OutboxRows.commitsFrom("announced", "p")
            + ", " + RequestLogRows.answersFrom("answer", "p")
            + " " + RequestLogRows.insertItems();

    /**
     * New items, the versions of every write, and {@link #FINISH}: one statement, one round trip.
     * The items' chunk lists travel as one array, each write naming its slice. Foreign keys between
     * the parts are checked at the end of the statement, when every part has run.
     */
    private static final String WRITE_ALL = "WITH w AS MATERIALIZED (SELECT * FROM " + WRITES.unnest("w")
            + "), ch AS MATERIALIZED (SELECT ?::text[] AS chunks"
            + "), t AS MATERIALIZED (SELECT w.*, ch.chunks[w.chunk_from:w.chunk_to] AS item_chunks,"
            + " CASE WHEN w.modified_ms = 0 THEN NULL"
            + " ELSE 'epoch'::timestamptz + w.modified_ms * interval '1 millisecond' END AS modified_at,"
            + " 'epoch'::timestamptz + w.committed_ms * interval '1 millisecond' AS committed_at FROM w, ch"
            + "), inserted AS ("
            + " INSERT INTO items (parent_id, name, name_key, depth, latest_version, status, deleted, mime_type,"
            + " checksum, size_bytes, modified_at, chunks, change_seq, device_id, committed_at, item_id, workspace_id,"
            + " is_folder) SELECT NULLIF(parent_id, 0), name, name_key, depth, version, status, deleted, mime_type,"
            + " checksum, size_bytes, modified_at, item_chunks, change_seq, device_id, committed_at, item_id,"
            + " workspace_id, is_folder FROM t WHERE is_new RETURNING 1"
            + "), versions AS ("
            + " INSERT INTO item_versions (item_id, workspace_id, parent_id, name, is_folder, version, status,"
            + " mime_type, checksum, size_bytes, modified_at, chunks, change_seq, device_id, committed_at, request_id)"
            + " SELECT item_id, workspace_id, NULLIF(parent_id, 0), name, is_folder, version, status, mime_type,"
            + " checksum, size_bytes, modified_at, item_chunks, change_seq, device_id, committed_at, request_id FROM t"
            + " RETURNING 1"
            + "), " + FINISH.substring("WITH ".length());

    /** {@link #WRITE_ALL} as the transaction's last statement, built once (see {@link #write}). */
    private static final String WRITE_ALL_AND_COMMIT = WRITE_ALL + "; COMMIT";

    /** A plan and the locked workspace it was decided against. */
    record Pending(LockedWorkspace workspace, CommitPlan plan) {
    }

    private final Connection connection;
    private final List<Pending> pending;
    private final StoredAnswers answers;

    /** @param answers told the answers written, and when the COMMIT travels with the last statement */
    CommitWriter(Connection connection, List<Pending> pending, StoredAnswers answers) {
        this.connection = connection;
        this.pending = pending;
        this.answers = answers;
    }

    /**
     * Writes the plans. This is the last work of its transaction, so the transaction's COMMIT
     * travels in the round trip of the last statement (unless folders moved, whose depths are fixed
     * after it): the commit costs no round trip of its own, and the caller's commit then finds the
     * transaction ended and sends nothing (the driver knows from the server's status). A COMMIT that
     * fails (a deferred constraint) fails this statement, and the transaction is rolled back.
     */
    void write() throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        updateItems();
        long[] freed = new long[pending.size()];
        for (int i = 0; i < pending.size(); i++) {
            Pending one = pending.get(i);
            for (long folderId : one.plan().deletedFolders()) {
                freed[i] += deleteSubtree(one, folderId);
            }
        }
        for (Pending one : pending) {
            // Rare (a deletion or release_locks of a locked file): a statement of its own is cheap enough.
            if (!one.plan().endedLocks().isEmpty()) {
                LockRows.end(connection, one.plan().endedLocks());
            }
        }
        boolean movesFolders = pending.stream().anyMatch(one -> !one.plan().movedFolders().isEmpty());
        writeAll(freed, !movesFolders);
        for (Pending one : pending) {
            for (long folderId : one.plan().movedFolders()) {
                fixDepths(one, folderId);
            }
        }
    }

    private void updateItems() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPDATE_ITEM)) {
            boolean any = false;
            for (Pending one : pending) {
                for (PlannedWrite write : one.plan().writes()) {
                    if (write.insert()) {
                        continue;
                    }
                    ItemVersion item = write.state();
                    ItemRows.setParent(statement, 1, item.parentId());
                    statement.setString(2, item.name());
                    statement.setString(3, ItemNames.key(item.name()));
                    statement.setInt(4, write.depth());
                    statement.setLong(5, item.version());
                    statement.setString(6, item.status().name());
                    statement.setBoolean(7, item.deleted());
                    statement.setString(8, item.mimeType());
                    statement.setString(9, item.checksum());
                    statement.setLong(10, item.size());
                    ItemRows.setTime(statement, 11, item.modifiedAtMs());
                    statement.setArray(12, ItemRows.chunks(connection, item.chunks()));
                    statement.setLong(13, item.changeSeq());
                    statement.setObject(14, item.deviceId());
                    statement.setTimestamp(15, JdbcWorkspaceTransaction.timestamp(item.committedAtMs()));
                    ItemRows.setParent(statement, 16, item.parentId());
                    statement.setLong(17, item.changeSeq());
                    statement.setLong(18, item.itemId());
                    statement.setObject(19, one.workspace().workspaceId());
                    statement.addBatch();
                    any = true;
                }
            }
            if (any) {
                statement.executeBatch();
            }
        }
    }

    /** Tombstones every live descendant of a deleted folder; returns the bytes their files held. */
    private long deleteSubtree(Pending one, long folderId) throws SQLException {
        CommitPlan plan = one.plan();
        try (PreparedStatement statement = connection.prepareStatement(DELETE_SUBTREE)) {
            statement.setLong(1, folderId);
            statement.setObject(2, one.workspace().workspaceId());
            statement.setLong(3, plan.changeSeq());
            statement.setObject(4, plan.deviceId());
            statement.setTimestamp(5, committedAt(plan));
            statement.setString(6, plan.requestId());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static Timestamp committedAt(CommitPlan plan) {
        return JdbcWorkspaceTransaction.timestamp(plan.writes().get(0).state().committedAtMs());
    }

    private void fixDepths(Pending one, long folderId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FIX_DEPTHS)) {
            statement.setLong(1, folderId);
            statement.setObject(2, one.workspace().workspaceId());
            statement.setLong(3, one.plan().changeSeq());
            statement.setLong(4, one.plan().changeSeq());
            statement.executeUpdate();
        }
    }

    /**
     * @param commits whether this is the transaction's last statement, which then carries the
     *     COMMIT in its round trip (see {@link #write})
     */
    private void writeAll(long[] freed, boolean commits) throws SQLException {
        List<WriteRow> writes = new ArrayList<>();
        List<String> chunks = new ArrayList<>();
        List<PlanRow> plans = new ArrayList<>(pending.size());
        List<ItemAnswer> results = new ArrayList<>();
        for (int p = 0; p < pending.size(); p++) {
            Pending one = pending.get(p);
            for (PlannedWrite write : one.plan().writes()) {
                List<String> itemChunks = write.state().chunks();
                writes.add(new WriteRow(one, write, chunks.size() + 1, chunks.size() + itemChunks.size()));
                chunks.addAll(itemChunks);
            }
            plans.add(new PlanRow(one, freed[p]));
            List<ItemResult> planResults = one.plan().results();
            for (int i = 0; i < planResults.size(); i++) {
                results.add(new ItemAnswer(one.plan().deviceId(), one.plan().requestId(), i, planResults.get(i)));
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(commits ? WRITE_ALL_AND_COMMIT : WRITE_ALL)) {
            int next = WRITES.bind(connection, statement, 1, writes);
            statement.setArray(next++, connection.createArrayOf("text", chunks.toArray(new String[0])));
            next = PLANS.bind(connection, statement, next, plans);
            RequestLogRows.ITEM_COLUMNS.bind(connection, statement, next, results);
            for (Pending one : pending) {
                answers.add(one.plan().deviceId(), one.plan().requestId());
            }
            if (commits) {
                answers.commitSending();
            }
            statement.execute();
        }
    }
}
