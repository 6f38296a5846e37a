package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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

    /**
     * Takes the sequence numbers, charges the owners, queues the notifications and stores the
     * answers of every plan: one statement, one round trip. Each part touches only the plans that
     * have something for it.
     */
    private static final String FINISH = "WITH p AS MATERIALIZED (SELECT * FROM unnest(?::uuid[], ?::bigint[],"
            + " ?::uuid[], ?::bigint[], ?::uuid[], ?::text[], ?::text[], ?::bytea[]) AS p (workspace_id, change_seq,"
            + " owner_id, quota_delta, device_id, request_id, operation, request_hash)"
            + "), sequence AS ("
            + " UPDATE workspaces w SET latest_change_seq = p.change_seq FROM p"
            + " WHERE w.workspace_id = p.workspace_id AND p.change_seq > 0 RETURNING 1"
            + "), quota AS ("
            + " UPDATE users u SET quota_used_bytes = GREATEST(0, u.quota_used_bytes + q.delta)"
            + " FROM (SELECT owner_id, sum(quota_delta) AS delta FROM p GROUP BY owner_id) q"
            + " WHERE u.user_id = q.owner_id AND q.delta <> 0 RETURNING 1"
            + "), announced AS ("
            + " INSERT INTO outbox (kind, workspace_id, change_seq, device_id, request_id)"
            + " SELECT 'COMMIT', workspace_id, change_seq, device_id, request_id FROM p WHERE change_seq > 0"
            + " RETURNING 1"
            + "), answer AS ("
            + " INSERT INTO request_log (device_id, request_id, operation, workspace_id, request_hash, change_seq)"
            + " SELECT device_id, request_id, operation, workspace_id, request_hash, change_seq FROM p"
            + " RETURNING 1"
            + ") INSERT INTO request_log_items (device_id, request_id, position, item_id, temp_id, outcome,"
            + " shown_item_id, shown_version, reject_reason, message)"
            + " SELECT * FROM unnest(?::uuid[], ?::text[], ?::int[], ?::bigint[], ?::text[], ?::text[], ?::bigint[],"
            + " ?::bigint[], ?::text[], ?::text[])";

    /**
     * New items, the versions of every write, and {@link #FINISH}: one statement, one round trip.
     * The items' chunk lists travel as one array, each write naming its slice. Foreign keys between
     * the parts are checked at the end of the statement, when every part has run.
     */
    private static final String WRITE_ALL = "WITH w AS MATERIALIZED (SELECT * FROM unnest(?::bigint[], ?::uuid[],"
            + " ?::bigint[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::text[], ?::boolean[], ?::text[],"
            + " ?::text[], ?::bigint[], ?::bigint[], ?::int[], ?::int[], ?::bigint[], ?::uuid[], ?::bigint[],"
            + " ?::boolean[], ?::boolean[], ?::text[]) AS w (item_id, workspace_id, parent_id, name, name_key, depth,"
            + " version, status, deleted, mime_type, checksum, size_bytes, modified_ms, chunk_from, chunk_to,"
            + " change_seq, device_id, committed_ms, is_folder, is_new, request_id)"
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

    /** Binds {@link #FINISH}'s parameters from {@code first} on. */
    private void bindFinish(PreparedStatement finish, int first, long[] freed) throws SQLException {
        int plans = pending.size();
        UUID[] workspaceIds = new UUID[plans];
        Long[] changeSeqs = new Long[plans];
        UUID[] ownerIds = new UUID[plans];
        Long[] quotaDeltas = new Long[plans];
        UUID[] planDevices = new UUID[plans];
        String[] planRequests = new String[plans];
        String[] operations = new String[plans];
        byte[][] hashes = new byte[plans][];
        List<UUID> devices = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<Long> itemIds = new ArrayList<>();
        List<String> tempIds = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        List<Long> shownItems = new ArrayList<>();
        List<Long> shownVersions = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (int p = 0; p < plans; p++) {
            CommitPlan plan = pending.get(p).plan();
            workspaceIds[p] = pending.get(p).workspace().workspaceId();
            changeSeqs[p] = plan.changeSeq();
            ownerIds[p] = pending.get(p).workspace().ownerId();
            quotaDeltas[p] = plan.quotaDeltaBytes() - freed[p];
            planDevices[p] = plan.deviceId();
            planRequests[p] = plan.requestId();
            operations[p] = plan.operation();
            hashes[p] = plan.requestHash();
            List<ItemResult> results = plan.results();
            for (int i = 0; i < results.size(); i++) {
                ItemResult result = results.get(i);
                devices.add(plan.deviceId());
                requests.add(plan.requestId());
                positions.add(i);
                itemIds.add(result.itemId());
                tempIds.add(result.tempId());
                outcomes.add(result.outcome().name());
                shownItems.add(result.current() == null ? null : result.current().itemId());
                shownVersions.add(result.current() == null ? null : result.current().version());
                reasons.add(result.reason() == null ? null : result.reason().name());
                messages.add(result.message());
            }
        }
        int p = first;
        finish.setArray(p++, connection.createArrayOf("uuid", workspaceIds));
        finish.setArray(p++, connection.createArrayOf("int8", changeSeqs));
        finish.setArray(p++, connection.createArrayOf("uuid", ownerIds));
        finish.setArray(p++, connection.createArrayOf("int8", quotaDeltas));
        finish.setArray(p++, connection.createArrayOf("uuid", planDevices));
        finish.setArray(p++, connection.createArrayOf("text", planRequests));
        finish.setArray(p++, connection.createArrayOf("text", operations));
        finish.setArray(p++, connection.createArrayOf("bytea", hashes));
        finish.setArray(p++, connection.createArrayOf("uuid", devices.toArray()));
        finish.setArray(p++, connection.createArrayOf("text", requests.toArray()));
        finish.setArray(p++, connection.createArrayOf("int4", positions.toArray()));
        finish.setArray(p++, connection.createArrayOf("int8", itemIds.toArray()));
        finish.setArray(p++, connection.createArrayOf("text", tempIds.toArray()));
        finish.setArray(p++, connection.createArrayOf("text", outcomes.toArray()));
        finish.setArray(p++, connection.createArrayOf("int8", shownItems.toArray()));
        finish.setArray(p++, connection.createArrayOf("int8", shownVersions.toArray()));
        finish.setArray(p++, connection.createArrayOf("text", reasons.toArray()));
        finish.setArray(p, connection.createArrayOf("text", messages.toArray()));
    }

    /**
     * @param commits whether this is the transaction's last statement, which then carries the
     *     COMMIT in its round trip (see {@link #write})
     */
    private void writeAll(long[] freed, boolean commits) throws SQLException {
        List<Object[]> columns = new ArrayList<>();
        int writes = pending.stream().mapToInt(one -> one.plan().writes().size()).sum();
        for (int c = 0; c < 21; c++) {
            columns.add(new Object[writes]);
        }
        List<String> chunks = new ArrayList<>();
        int w = 0;
        for (Pending one : pending) {
            for (PlannedWrite write : one.plan().writes()) {
                ItemVersion item = write.state();
                Object[] row = {item.itemId(), one.workspace().workspaceId(), item.parentId(), item.name(),
                    ItemNames.key(item.name()), write.depth(), item.version(), item.status().name(), item.deleted(),
                    item.mimeType(), item.checksum(), item.size(), item.modifiedAtMs(), chunks.size() + 1,
                    chunks.size() + item.chunks().size(), item.changeSeq(), item.deviceId(), item.committedAtMs(),
                    item.folder(), write.insert(), one.plan().requestId()};
                for (int c = 0; c < row.length; c++) {
                    columns.get(c)[w] = row[c];
                }
                chunks.addAll(item.chunks());
                w++;
            }
        }
        String[] types = {"int8", "uuid", "int8", "text", "text", "int4", "int8", "text", "bool", "text", "text",
            "int8", "int8", "int4", "int4", "int8", "uuid", "int8", "bool", "bool", "text"};
        try (PreparedStatement statement = connection.prepareStatement(commits ? WRITE_ALL_AND_COMMIT : WRITE_ALL)) {
            int p = 1;
            for (int c = 0; c < types.length; c++) {
                statement.setArray(p++, connection.createArrayOf(types[c], columns.get(c)));
            }
            statement.setArray(p++, connection.createArrayOf("text", chunks.toArray()));
            bindFinish(statement, p, freed);
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
