package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.retention.RetentionStore;
import org.syncservice.server.storage.StorageLocation;

/**
 * Retention in PostgreSQL. Purgers of one workspace (and collectors of one storage location)
 * exclude each other with a transaction-scoped advisory lock they only try for, so a second
 * instance moves on to other work instead of waiting.
 *
 * <p>A purge batch deletes its rows first and takes the workspace's row lock (the one every
 * commit holds for its whole transaction) only at the end, to raise {@code purged_up_to_seq}, and
 * commits at once: so it holds that lock for milliseconds, not for the batch, and commits do not
 * queue behind it. The batch still becomes visible at a moment no commit of the workspace is in
 * progress, so a commit sees the workspace either before the batch or after it. A batch waits for
 * that lock at most {@link #COMMIT_POINT_WAIT}: a commit holding it may be waiting for a row the
 * batch deleted (restoring an old tombstone), and then the batch gives way (rolls back, is retried).
 *
 * <p>The chunk collector holds the row locks of the location's workspaces for its whole batch: no
 * commit may start referencing a chunk between the check that nothing does and its deletion.
 * Thread-safe.
 */
public final class JdbcRetentionStore implements RetentionStore {
    /** Advisory lock classes (the first key of the two-key form); the second is a hash of the id. */
    private static final int PURGE_LOCK = 720_583_421;
    private static final int COLLECT_LOCK = 720_583_422;

    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(?, hashtext(?))";
    /** How long a purge batch waits for the workspace's row lock at its end before it gives way. */
    static final String COMMIT_POINT_WAIT = "100ms";
    private static final String WORKSPACE_LOCATION = "SELECT storage_backend, storage_container, storage_prefix"
            + " FROM workspaces WHERE workspace_id = ?";
    /** Records the chunks of the rows a purge removes; sorted, so concurrent purgers lock them in one order. */
    private static final String RECORD_GARBAGE = "garbage AS ("
            + " INSERT INTO chunk_garbage (storage_backend, storage_container, storage_prefix, chunk, unreferenced_since)"
            + " SELECT DISTINCT ?::text, ?::text, ?::text, c.chunk, ?::timestamptz"
            + " FROM purged p CROSS JOIN LATERAL unnest(p.chunks) AS c (chunk) ORDER BY 4"
            + " ON CONFLICT (storage_backend, storage_container, storage_prefix, chunk) DO UPDATE"
            + " SET unreferenced_since = GREATEST(chunk_garbage.unreferenced_since, EXCLUDED.unreferenced_since)"
            + " RETURNING 1)";
    /**
     * Tombstones whose every child is gone already, oldest first; their versions go with them
     * (ON DELETE CASCADE) and were read for their chunks in the same snapshot.
     */
    private static final String PURGE_TOMBSTONES = "WITH doomed AS MATERIALIZED ("
            + " SELECT t.item_id, t.change_seq FROM items t WHERE t.workspace_id = ? AND t.deleted AND t.committed_at < ?"
            + " AND NOT EXISTS (SELECT 1 FROM items c WHERE c.parent_id = t.item_id)"
            + " ORDER BY t.committed_at LIMIT ?" // the index order: no sort of every expired row
            + "), purged AS MATERIALIZED ("
            + " SELECT v.chunks FROM item_versions v JOIN doomed d ON d.item_id = v.item_id"
            + "), " + RECORD_GARBAGE + ", gone AS ("
            + " DELETE FROM items i USING doomed d WHERE i.item_id = d.item_id RETURNING d.change_seq"
            + ") SELECT (SELECT count(*) FROM gone), (SELECT COALESCE(max(change_seq), 0) FROM gone),"
            + " (SELECT count(*) FROM purged), (SELECT count(*) FROM garbage)";
    private static final String WALKED_TO = "SELECT versions_walked_to_seq FROM retention_progress WHERE workspace_id = ?";
    private static final String NEXT_CHANGES = "SELECT change_seq, committed_at < ? FROM item_versions"
            + " WHERE workspace_id = ? AND change_seq > ? ORDER BY change_seq LIMIT ?";
    /** Versions whose successor was committed in (from, to]: superseded at the successor's sequence number. */
    private static final String PURGE_SUPERSEDED = "WITH purged AS MATERIALIZED ("
            + " SELECT o.item_id, o.version, o.chunks, n.change_seq FROM item_versions n"
            + " JOIN item_versions o ON o.item_id = n.item_id AND o.version = n.version - 1"
            + " WHERE n.workspace_id = ? AND n.change_seq > ? AND n.change_seq <= ? AND n.version > 1"
            + "), " + RECORD_GARBAGE + ", gone AS ("
            + " DELETE FROM item_versions v USING purged p WHERE v.item_id = p.item_id AND v.version = p.version"
            + " RETURNING p.change_seq"
            + ") SELECT (SELECT count(*) FROM gone), (SELECT COALESCE(max(change_seq), 0) FROM gone),"
            + " (SELECT count(*) FROM garbage)";
    private static final String SAVE_WALK = "INSERT INTO retention_progress (workspace_id, versions_walked_to_seq)"
            + " VALUES (?, ?) ON CONFLICT (workspace_id) DO UPDATE SET versions_walked_to_seq = EXCLUDED.versions_walked_to_seq";
    private static final String RAISE_PURGED = "UPDATE workspaces SET purged_up_to_seq = GREATEST(purged_up_to_seq, ?)"
            + " WHERE workspace_id = ?";
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String PURGE_ANSWERS = "DELETE FROM request_log r USING (SELECT device_id, request_id"
            + " FROM request_log WHERE created_at < ? ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED) d"
            + " WHERE r.device_id = d.device_id AND r.request_id = d.request_id";
    private static final String LOCATION = "storage_backend = ? AND storage_container = ? AND storage_prefix = ?";
    private static final String LOCK_LOCATION_WORKSPACES = "SELECT workspace_id FROM workspaces WHERE " + LOCATION
            + " ORDER BY workspace_id FOR NO KEY UPDATE";
    private static final String DUE_CANDIDATES = "SELECT chunk FROM chunk_garbage WHERE " + LOCATION
            + " AND chunk > ? AND unreferenced_since < ? ORDER BY chunk LIMIT ? FOR UPDATE";
    /**
     * The candidates a kept version of the location's workspaces references. Reads those
     * workspaces' versions (no index on chunk names: it would cost every commit); the overlap
     * test discards most rows before they are unnested.
     */
    private static final String REFERENCED = "SELECT DISTINCT c.chunk FROM item_versions v"
            + " CROSS JOIN LATERAL unnest(v.chunks) AS c (chunk)"
            + " WHERE v.workspace_id = ANY (?) AND v.chunks && ?::text[] AND c.chunk = ANY (?)";
    private static final String DROP_CANDIDATES = "DELETE FROM chunk_garbage WHERE " + LOCATION + " AND chunk = ANY (?)";
    private static final String POSTPONE_CANDIDATES = "UPDATE chunk_garbage g SET unreferenced_since = f.since::timestamptz"
            + " FROM unnest(?::text[], ?::text[]) AS f (chunk, since)"
            + " WHERE g.storage_backend = ? AND g.storage_container = ? AND g.storage_prefix = ? AND g.chunk = f.chunk";

    private final Transactions tx;

    public JdbcRetentionStore(DataSource dataSource) {
        this.tx = new Transactions(dataSource);
    }

    @Override
    public List<UUID> workspacesWithExpiredTombstones(Instant deletedBefore, UUID after, int limit) {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT w.workspace_id FROM workspaces w"
                    + " WHERE (?::uuid IS NULL OR w.workspace_id > ?) AND EXISTS (SELECT 1 FROM items t"
                    + " WHERE t.workspace_id = w.workspace_id AND t.deleted AND t.committed_at < ?)"
                    + " ORDER BY w.workspace_id LIMIT ?")) {
                select.setObject(1, after);
                select.setObject(2, after);
                select.setTimestamp(3, Timestamp.from(deletedBefore));
                select.setInt(4, limit);
                return ids(select);
            }
        });
    }

    @Override
    public Purged purgeTombstones(UUID workspaceId, Instant deletedBefore, int batchSize, Instant now) {
        return inLockedWorkspace(workspaceId, (c, location) -> {
            try (PreparedStatement purge = c.prepareStatement(PURGE_TOMBSTONES)) {
                purge.setObject(1, workspaceId);
                purge.setTimestamp(2, Timestamp.from(deletedBefore));
                purge.setInt(3, batchSize);
                bindGarbage(purge, 4, location, now);
                try (ResultSet r = purge.executeQuery()) {
                    r.next();
                    int items = r.getInt(1);
                    return new Batch(new Purged(items, r.getInt(3), items >= batchSize), r.getLong(2));
                }
            }
        });
    }

    @Override
    public List<UUID> workspaces(UUID after, int limit) {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT workspace_id FROM workspaces"
                    + " WHERE ?::uuid IS NULL OR workspace_id > ? ORDER BY workspace_id LIMIT ?")) {
                select.setObject(1, after);
                select.setObject(2, after);
                select.setInt(3, limit);
                return ids(select);
            }
        });
    }

    @Override
    public Purged purgeSupersededVersions(UUID workspaceId, Instant supersededBefore, int batchSize, Instant now) {
        return inLockedWorkspace(workspaceId, (c, location) -> {
            long from = walkedTo(c, workspaceId);
            long to = from;
            boolean full;
            try (PreparedStatement select = c.prepareStatement(NEXT_CHANGES)) {
                select.setTimestamp(1, Timestamp.from(supersededBefore));
                select.setObject(2, workspaceId);
                select.setLong(3, from);
                select.setInt(4, batchSize);
                int rows = 0;
                boolean reachedRecent = false;
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        rows++;
                        if (!r.getBoolean(2)) {
                            reachedRecent = true; // sequence order is commit order: the rest are later
                            break;
                        }
                        to = r.getLong(1);
                    }
                }
                full = !reachedRecent && rows >= batchSize;
            }
            if (to == from) {
                return new Batch(Purged.NOTHING, 0);
            }
            int purged;
            long supersededUpTo;
            try (PreparedStatement purge = c.prepareStatement(PURGE_SUPERSEDED)) {
                purge.setObject(1, workspaceId);
                purge.setLong(2, from);
                purge.setLong(3, to);
                bindGarbage(purge, 4, location, now);
                try (ResultSet r = purge.executeQuery()) {
                    r.next();
                    purged = r.getInt(1);
                    supersededUpTo = r.getLong(2);
                }
            }
            try (PreparedStatement save = c.prepareStatement(SAVE_WALK)) {
                save.setObject(1, workspaceId);
                save.setLong(2, to);
                save.executeUpdate();
            }
            return new Batch(new Purged(purged, purged, full), supersededUpTo);
        });
    }

    @Override
    public int purgeStoredAnswers(Instant createdBefore, int batchSize) {
        return tx.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(PURGE_ANSWERS)) {
                delete.setTimestamp(1, Timestamp.from(createdBefore));
                delete.setInt(2, batchSize);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public List<StorageLocation> locationsWithDueChunks(Instant before, int limit) {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT storage_backend, storage_container,"
                    + " storage_prefix FROM chunk_garbage WHERE unreferenced_since < ?"
                    + " GROUP BY 1, 2, 3 ORDER BY min(unreferenced_since) LIMIT ?")) {
                select.setTimestamp(1, Timestamp.from(before));
                select.setInt(2, limit);
                List<StorageLocation> locations = new ArrayList<>();
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        locations.add(new StorageLocation(StorageConfig.Backend.valueOf(r.getString(1)),
                                r.getString(2), r.getString(3)));
                    }
                }
                return locations;
            }
        });
    }

    @Override
    public Optional<ChunkBatch> collectChunks(StorageLocation location, Instant before, String afterChunk,
                                              int batchSize, boolean dryRun, ChunkRemover remover) {
        return tx.inTransaction(c -> {
            if (!tryLock(c, COLLECT_LOCK, location.backend() + " " + location.container() + " " + location.prefix())) {
                return Optional.empty();
            }
            List<UUID> workspaces;
            try (PreparedStatement lock = c.prepareStatement(LOCK_LOCATION_WORKSPACES)) {
                bindLocation(lock, 1, location);
                workspaces = ids(lock);
            }
            List<String> candidates = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(DUE_CANDIDATES)) {
                bindLocation(select, 1, location);
                select.setString(4, afterChunk);
                select.setTimestamp(5, Timestamp.from(before));
                select.setInt(6, batchSize);
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        candidates.add(r.getString(1));
                    }
                }
            }
            if (candidates.isEmpty()) {
                return Optional.of(new ChunkBatch(0, 0, Removal.NONE, afterChunk));
            }
            Set<String> referenced = referenced(c, workspaces, candidates);
            List<String> unreferenced = candidates.stream().filter(chunk -> !referenced.contains(chunk)).toList();
            Removal removal = unreferenced.isEmpty() ? Removal.NONE
                    : remover.remove(location, unreferenced);
            if (dryRun) {
                c.rollback();
            } else {
                Set<String> dropped = new HashSet<>(referenced);
                dropped.addAll(removal.gone());
                drop(c, location, dropped);
                postpone(c, location, removal.fresh());
            }
            return Optional.of(new ChunkBatch(candidates.size(), referenced.size(), removal,
                    candidates.get(candidates.size() - 1)));
        });
    }

    @Override
    public long chunkCandidates() {
        return tx.inTransaction(c -> {
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM chunk_garbage");
                 ResultSet r = count.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    /** What a batch purged, and the change sequence number purged_up_to_seq must reach (0: none). */
    private record Batch(Purged purged, long purgedUpToSeq) {
    }

    private interface PurgeWork {
        Batch run(Connection c, StorageLocation location) throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction holding the workspace's purge lock, then raises
     * purged_up_to_seq under the workspace's row lock and commits (see the class comment). Nothing
     * if another purger has the workspace; nothing, but {@code full} (try again), when a commit
     * kept the row lock longer than {@link #COMMIT_POINT_WAIT}.
     */
    private Purged inLockedWorkspace(UUID workspaceId, PurgeWork work) {
        return tx.inTransaction(c -> {
            Optional<StorageLocation> location = purgeLock(c, workspaceId);
            if (location.isEmpty()) {
                return Purged.NOTHING;
            }
            Batch batch = work.run(c, location.get());
            if (batch.purged().rows() == 0 && batch.purgedUpToSeq() == 0) {
                return batch.purged();
            }
            try (Statement wait = c.createStatement()) {
                wait.execute("SET LOCAL lock_timeout = '" + COMMIT_POINT_WAIT + "'");
            }
            try (PreparedStatement update = c.prepareStatement(RAISE_PURGED)) {
                update.setLong(1, batch.purgedUpToSeq());
                update.setObject(2, workspaceId);
                update.executeUpdate();
            } catch (SQLException e) {
                if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw e;
                }
                c.rollback();
                return new Purged(0, 0, true);
            }
            return batch.purged();
        });
    }

    /** The workspace's storage location once its purge lock is held; empty if another purger has it. */
    private static Optional<StorageLocation> purgeLock(Connection c, UUID workspaceId) throws SQLException {
        if (!tryLock(c, PURGE_LOCK, workspaceId.toString())) {
            return Optional.empty();
        }
        try (PreparedStatement lock = c.prepareStatement(WORKSPACE_LOCATION)) {
            lock.setObject(1, workspaceId);
            try (ResultSet r = lock.executeQuery()) {
                return r.next() ? Optional.of(new StorageLocation(StorageConfig.Backend.valueOf(r.getString(1)),
                        r.getString(2), r.getString(3))) : Optional.empty();
            }
        }
    }

    private static boolean tryLock(Connection c, int lockClass, String id) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement(TRY_LOCK)) {
            lock.setInt(1, lockClass);
            lock.setString(2, id);
            try (ResultSet r = lock.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static long walkedTo(Connection c, UUID workspaceId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(WALKED_TO)) {
            select.setObject(1, workspaceId);
            try (ResultSet r = select.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    private static void bindGarbage(PreparedStatement statement, int first, StorageLocation location, Instant now)
            throws SQLException {
        bindLocation(statement, first, location);
        statement.setTimestamp(first + 3, Timestamp.from(now));
    }

    private static void bindLocation(PreparedStatement statement, int first, StorageLocation location)
            throws SQLException {
        statement.setString(first, location.backend().name());
        statement.setString(first + 1, location.container());
        statement.setString(first + 2, location.prefix());
    }

    private static Set<String> referenced(Connection c, List<UUID> workspaces, List<String> candidates)
            throws SQLException {
        Set<String> referenced = new LinkedHashSet<>();
        if (workspaces.isEmpty()) {
            return referenced;
        }
        try (PreparedStatement select = c.prepareStatement(REFERENCED)) {
            select.setArray(1, c.createArrayOf("uuid", workspaces.toArray()));
            select.setArray(2, c.createArrayOf("text", candidates.toArray()));
            select.setArray(3, c.createArrayOf("text", candidates.toArray()));
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    referenced.add(r.getString(1));
                }
            }
        }
        return referenced;
    }

    private static void drop(Connection c, StorageLocation location, Set<String> chunks) throws SQLException {
        if (chunks.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = c.prepareStatement(DROP_CANDIDATES)) {
            bindLocation(delete, 1, location);
            delete.setArray(4, c.createArrayOf("text", chunks.toArray()));
            delete.executeUpdate();
        }
    }

    private static void postpone(Connection c, StorageLocation location, Map<String, Instant> fresh)
            throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        List<String> chunks = new ArrayList<>(fresh.keySet());
        try (PreparedStatement update = c.prepareStatement(POSTPONE_CANDIDATES)) {
            update.setArray(1, c.createArrayOf("text", chunks.toArray()));
            update.setArray(2, c.createArrayOf("text", chunks.stream().map(chunk -> fresh.get(chunk).toString()).toArray()));
            bindLocation(update, 3, location);
            update.executeUpdate();
        }
    }

    private static List<UUID> ids(PreparedStatement select) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (ResultSet r = select.executeQuery()) {
            while (r.next()) {
                ids.add(r.getObject(1, UUID.class));
            }
        }
        return ids;
    }
}
