package org.syncservice.desktop.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.syncservice.client.SyncPosition;

/**
 * The client's local state in SQLite ({@code state.db} in the state directory): the synced tree,
 * the remote tree, the feed position, commits in flight, and what {@code status} shows.
 *
 * <p>Every change the client makes is recorded here before it is acted on (a commit request is
 * journaled before it is sent) and after it is done (the synced tree), each in one transaction, so
 * a restart after a kill resumes where it was.
 *
 * <p>Thread-safety: one connection, and every method holds this object's lock, so the engine and
 * the notification listener write one at a time. {@link StatusReader} reads the same file from
 * other processes (WAL mode lets it read while this writes).
 */
public final class StateDatabase implements AutoCloseable {
    public static final String FILE_NAME = "state.db";
    static final int SCHEMA_VERSION = 1;

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS position (workspace_id TEXT PRIMARY KEY, cursor TEXT NOT NULL,"
            + " change_seq INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS remote (item_id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL,"
            + " name TEXT NOT NULL, is_folder INTEGER NOT NULL, version INTEGER NOT NULL,"
            + " deleted INTEGER NOT NULL, checksum TEXT NOT NULL, size INTEGER NOT NULL,"
            + " modified_ms INTEGER NOT NULL, chunks TEXT NOT NULL, device_id TEXT NOT NULL,"
            + " listed INTEGER NOT NULL DEFAULT 1)",
        // The service's full listing after its history went back, gathered apart until it is complete.
        "CREATE TABLE IF NOT EXISTS relisted (item_id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL,"
            + " name TEXT NOT NULL, is_folder INTEGER NOT NULL, version INTEGER NOT NULL,"
            + " deleted INTEGER NOT NULL, checksum TEXT NOT NULL, size INTEGER NOT NULL,"
            + " modified_ms INTEGER NOT NULL, chunks TEXT NOT NULL, device_id TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS synced (item_id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL,"
            + " name TEXT NOT NULL, is_folder INTEGER NOT NULL, version INTEGER NOT NULL,"
            + " checksum TEXT NOT NULL, size INTEGER NOT NULL, modified_ms INTEGER NOT NULL,"
            + " chunks TEXT NOT NULL, file_key TEXT, local_size INTEGER NOT NULL,"
            + " local_modified_ms INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS synced_by_parent ON synced (parent_id)",
        "CREATE TABLE IF NOT EXISTS pending_commit (request_id TEXT PRIMARY KEY, request BLOB NOT NULL,"
            + " paths TEXT NOT NULL, created_ms INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS problem (path TEXT PRIMARY KEY, reason TEXT NOT NULL,"
            + " signature TEXT NOT NULL, since_ms INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS conflict (id INTEGER PRIMARY KEY AUTOINCREMENT, original TEXT NOT NULL,"
            + " copy TEXT NOT NULL, at_ms INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS status (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS pending_transfer (direction TEXT NOT NULL, path TEXT NOT NULL,"
            + " size INTEGER NOT NULL)",
    };

    private final Connection connection;

    private StateDatabase(Connection connection) {
        this.connection = connection;
    }

    /**
     * Opens (creating when needed) the state database in {@code stateDirectory}.
     *
     * @throws IOException when the directory cannot be created or the database cannot be opened
     */
    public static StateDatabase open(Path stateDirectory) throws IOException {
        Files.createDirectories(stateDirectory);
        try {
            Connection connection = DriverManager.getConnection(
                    "jdbc:sqlite:" + stateDirectory.resolve(FILE_NAME).toAbsolutePath());
            try (Statement s = connection.createStatement()) {
                // WAL: status readers in other processes never block the writer. NORMAL survives a
                // killed process (only a power cut may lose the last transactions, never corrupt).
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
                for (String ddl : SCHEMA) {
                    s.execute(ddl);
                }
                s.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
            }
            return new StateDatabase(connection);
        } catch (SQLException e) {
            throw new IOException("cannot open the state database in " + stateDirectory + ": " + e.getMessage(), e);
        }
    }

    // ---- meta -------------------------------------------------------------------------------

    public synchronized Optional<String> meta(String key) {
        return query("SELECT value FROM meta WHERE key = ?", rs -> rs.getString(1), key).stream().findFirst();
    }

    public synchronized void putMeta(String key, String value) {
        update("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                key, value);
    }

    // ---- the remote tree and the feed position ---------------------------------------------------

    public synchronized Optional<SyncPosition> position(String workspaceId) {
        return query("SELECT cursor, change_seq FROM position WHERE workspace_id = ?",
                rs -> new SyncPosition(rs.getString(1), rs.getLong(2)), workspaceId).stream().findFirst();
    }

    /**
     * Records items the service reported (a newer version replaces an older one; an older or equal
     * one changes nothing) and, in the same transaction, the feed position reached.
     */
    public synchronized void recordRemote(Collection<RemoteItem> items, String workspaceId, SyncPosition position) {
        inTransaction(() -> {
            upsertRemote(items);
            if (position != null) {
                update("INSERT INTO position (workspace_id, cursor, change_seq) VALUES (?, ?, ?)"
                        + " ON CONFLICT(workspace_id) DO UPDATE SET cursor = excluded.cursor,"
                        + " change_seq = MAX(position.change_seq, excluded.change_seq)",
                        workspaceId, position.cursor(), position.changeSeq());
            }
        });
    }

    private void upsertRemote(Collection<RemoteItem> items) {
        batch("INSERT INTO remote (item_id, parent_id, name, is_folder, version, deleted, checksum, size,"
                + " modified_ms, chunks, device_id, listed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
                + " ON CONFLICT(item_id) DO UPDATE SET parent_id = excluded.parent_id, name = excluded.name,"
                + " is_folder = excluded.is_folder, version = excluded.version, deleted = excluded.deleted,"
                + " checksum = excluded.checksum, size = excluded.size, modified_ms = excluded.modified_ms,"
                + " chunks = excluded.chunks, device_id = excluded.device_id, listed = 1"
                + " WHERE excluded.version > remote.version"
                // The same version live or gone: an item that left the selected folders or came back
                // with a folder moved out or in (out_of_scope, protocol.md 7.9) keeps its version.
                + " OR (excluded.version = remote.version AND excluded.deleted <> remote.deleted)",
                items, StateDatabase::bindRemote);
        // A listed item counts as seen by a full listing even when its version was known already.
        batch("UPDATE remote SET listed = 1 WHERE item_id = ?", items, (ps, r) -> ps.setLong(1, r.itemId()));
    }

    /** Binds a remote item to the 11 columns of remote or relisted, in table order from item_id to device_id. */
    private static void bindRemote(PreparedStatement ps, RemoteItem r) throws SQLException {
        ps.setLong(1, r.itemId());
        ps.setLong(2, r.parentId());
        ps.setString(3, r.name());
        ps.setInt(4, r.folder() ? 1 : 0);
        ps.setLong(5, r.version());
        ps.setInt(6, r.deleted() ? 1 : 0);
        ps.setString(7, r.checksum());
        ps.setLong(8, r.size());
        ps.setLong(9, r.modifiedMs());
        ps.setString(10, String.join(" ", r.chunks()));
        ps.setString(11, r.deviceId());
    }

    /** A full listing begins: until {@link #finishFullListing}, items it does not report are gone. */
    public synchronized void startFullListing() {
        update("UPDATE remote SET listed = 0");
    }

    /** A full listing is complete: the live items it did not report are gone from the server. */
    public synchronized void finishFullListing() {
        update("UPDATE remote SET deleted = 1, checksum = '', size = 0, chunks = '', listed = 1 WHERE listed = 0");
    }

    /**
     * A full listing after the service's history went back begins (a restored backup): it is
     * gathered apart ({@link #recordRelisted}) and replaces the remote tree only once complete
     * ({@link #finishRewoundListing}), so the engine never plans against half of it.
     */
    public synchronized void startRewoundListing() {
        update("DELETE FROM relisted");
    }

    /** Items of the listing begun by {@link #startRewoundListing}; a later page's version wins. */
    public synchronized void recordRelisted(Collection<RemoteItem> items) {
        batch("INSERT OR REPLACE INTO relisted (item_id, parent_id, name, is_folder, version, deleted, checksum, size,"
                + " modified_ms, chunks, device_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", items, StateDatabase::bindRemote);
    }

    /**
     * The listing begun by {@link #startRewoundListing} is complete: in one transaction it becomes
     * the remote tree, every synced item is kept, rebased or forgotten as {@link RewoundBase}
     * decides, and the feed position is set to {@code position} (its number may be lower than the
     * one stored: the history went back).
     *
     * @return how many synced items were kept, rebased and forgotten (with their subtrees), in that order
     */
    public synchronized int[] finishRewoundListing(String workspaceId, SyncPosition position) {
        int[] outcome = new int[3];
        inTransaction(() -> {
            Map<Long, RemoteItem> listed = remote("SELECT item_id, parent_id, name, is_folder, version, deleted,"
                    + " checksum, size, modified_ms, chunks, device_id FROM relisted");
            for (SyncedItem synced : syncedTree().values()) {
                RemoteItem now = listed.get(synced.itemId());
                switch (RewoundBase.decide(synced, now)) {
                    case KEEP -> outcome[0]++;
                    case REBASE -> {
                        outcome[1]++;
                        // local_modified_ms -1: the file is read again, and what it holds beyond the
                        // listed version is pushed; its file key still finds it after a rename.
                        update("UPDATE synced SET parent_id = ?, name = ?, version = ?, checksum = ?, size = ?,"
                                + " modified_ms = ?, chunks = ?, local_modified_ms = -1 WHERE item_id = ?",
                                now.parentId(), now.name(), now.version(), now.checksum(), now.size(),
                                now.modifiedMs(), String.join(" ", now.chunks()), synced.itemId());
                    }
                    case FORGET -> {
                        outcome[2]++;
                        forgetSyncedSubtree(synced.itemId());
                    }
                }
            }
            update("DELETE FROM remote");
            update("INSERT INTO remote (item_id, parent_id, name, is_folder, version, deleted, checksum, size,"
                    + " modified_ms, chunks, device_id, listed) SELECT item_id, parent_id, name, is_folder, version,"
                    + " deleted, checksum, size, modified_ms, chunks, device_id, 1 FROM relisted");
            update("DELETE FROM relisted");
            if (position != null) {
                update("INSERT OR REPLACE INTO position (workspace_id, cursor, change_seq) VALUES (?, ?, ?)",
                        workspaceId, position.cursor(), position.changeSeq());
            }
        });
        return outcome;
    }

    /**
     * The remote items that differ from the synced tree: new to this device, deleted, or at another
     * version than the one agreed on. The others are the synced items themselves, so a planner
     * needs only these; with a large folder the whole remote tree would double the memory a round
     * takes.
     */
    public synchronized Map<Long, RemoteItem> remoteChanges() {
        return remote("SELECT r.item_id, r.parent_id, r.name, r.is_folder, r.version, r.deleted, r.checksum, r.size,"
                + " r.modified_ms, r.chunks, r.device_id FROM remote r LEFT JOIN synced s ON s.item_id = r.item_id"
                + " WHERE s.item_id IS NULL OR s.version <> r.version OR r.deleted = 1");
    }

    private Map<Long, RemoteItem> remote(String sql) {
        Map<Long, RemoteItem> tree = new HashMap<>();
        for (RemoteItem r : query(sql, rs -> new RemoteItem(rs.getLong(1), rs.getLong(2),
                rs.getString(3), rs.getInt(4) == 1, rs.getLong(5), rs.getInt(6) == 1, rs.getString(7), rs.getLong(8),
                rs.getLong(9), chunks(rs.getString(10)), rs.getString(11)))) {
            tree.put(r.itemId(), r);
        }
        return tree;
    }

    /** Live remote items and their versions, for the service's workspace digest. */
    public synchronized Map<Long, Long> liveRemoteVersions() {
        Map<Long, Long> versions = new HashMap<>();
        for (long[] row : query("SELECT item_id, version FROM remote WHERE deleted = 0",
                rs -> new long[] {rs.getLong(1), rs.getLong(2)})) {
            versions.put(row[0], row[1]);
        }
        return versions;
    }

    /** Whether the remote tree holds {@code folderId} as a live folder. */
    public synchronized boolean holdsLiveFolder(long folderId) {
        return !query("SELECT 1 FROM remote WHERE item_id = ? AND is_folder = 1 AND deleted = 0", rs -> 1, folderId)
                .isEmpty();
    }

    /**
     * Forgets the remote tree, the agreed state and the feed position, keeping the files: the
     * folder is synced as if for the first time (what is alike on both sides is matched by place
     * and content). For another selection of folders, whose cursor the old one cannot continue and
     * whose agreed state would otherwise make files leaving the selection look deleted here.
     */
    public synchronized void startOver() {
        inTransaction(() -> {
            update("DELETE FROM remote");
            update("DELETE FROM relisted");
            update("DELETE FROM synced");
            update("DELETE FROM position");
        });
    }

    public synchronized void forgetRemote(Collection<Long> itemIds) {
        batch("DELETE FROM remote WHERE item_id = ?", itemIds, (ps, id) -> ps.setLong(1, id));
    }

    // ---- the synced tree ------------------------------------------------------------------------

    private static final String SYNCED_COLUMNS_BUT_CHUNKS = "SELECT item_id, parent_id, name, is_folder, version,"
            + " checksum, size, modified_ms, '', file_key, local_size, local_modified_ms FROM synced";

    private static SyncedItem syncedItem(ResultSet rs) throws SQLException {
        return new SyncedItem(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4) == 1, rs.getLong(5),
                rs.getString(6), rs.getLong(7), rs.getLong(8), chunks(rs.getString(9)), rs.getString(10),
                rs.getLong(11), rs.getLong(12));
    }

    /**
     * The synced tree, without the chunk lists (they stay in the database: a plan needs the
     * checksums only, and a large folder's chunk names would take much of a small heap). Update
     * items of it with the targeted methods below, never by writing such an item back whole.
     */
    /** Whether any item is synced yet. */
    public synchronized boolean anySynced() {
        return !query("SELECT 1 FROM synced LIMIT 1", rs -> 1).isEmpty();
    }

    public synchronized Map<Long, SyncedItem> syncedTree() {
        Map<Long, SyncedItem> tree = new HashMap<>();
        for (SyncedItem s : query(SYNCED_COLUMNS_BUT_CHUNKS, StateDatabase::syncedItem)) {
            tree.put(s.itemId(), s);
        }
        return tree;
    }

    /** The item is agreed to be at {@code parentId}/{@code name} now, at {@code version}; its content is as agreed. */
    public synchronized void placeSynced(long itemId, long parentId, String name, long version) {
        update("UPDATE synced SET parent_id = ?, name = ?, version = ? WHERE item_id = ?", parentId, name, version,
                itemId);
    }

    /** How the item's local file looks now (null key and -1: no local file is it any more). */
    public synchronized void lookSynced(long itemId, String fileKey, long size, long modifiedMs) {
        update("UPDATE synced SET file_key = ?, local_size = ?, local_modified_ms = ? WHERE item_id = ?", fileKey,
                size, modifiedMs, itemId);
    }

    /** Forgets an item's agreed state and that of everything synced under it. */
    public synchronized void forgetSyncedSubtree(long itemId) {
        update("WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT s.item_id FROM synced s JOIN sub ON s.parent_id = sub.id)"
                + " DELETE FROM synced WHERE item_id IN (SELECT id FROM sub)", itemId);
    }

    public synchronized void putSynced(SyncedItem s) {
        putSynced(List.of(s));
    }

    public synchronized void putSynced(Collection<SyncedItem> items) {
        batch("INSERT OR REPLACE INTO synced (item_id, parent_id, name, is_folder, version, checksum, size,"
                + " modified_ms, chunks, file_key, local_size, local_modified_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", items, (ps, s) -> {
                    ps.setLong(1, s.itemId());
                    ps.setLong(2, s.parentId());
                    ps.setString(3, s.name());
                    ps.setInt(4, s.folder() ? 1 : 0);
                    ps.setLong(5, s.version());
                    ps.setString(6, s.checksum());
                    ps.setLong(7, s.size());
                    ps.setLong(8, s.modifiedMs());
                    ps.setString(9, String.join(" ", s.chunks()));
                    ps.setString(10, s.fileKey());
                    ps.setLong(11, s.localSize());
                    ps.setLong(12, s.localModifiedMs());
                });
    }

    public synchronized void forgetSynced(Collection<Long> itemIds) {
        batch("DELETE FROM synced WHERE item_id = ?", itemIds, (ps, id) -> ps.setLong(1, id));
    }

    // ---- commits in flight --------------------------------------------------------------------------

    /** A commit about to be sent: its request id, the serialized request and the local paths it is about. */
    public record PendingCommit(String requestId, byte[] request, List<String> paths) {
    }

    public synchronized void journalCommit(PendingCommit commit) {
        update("INSERT OR REPLACE INTO pending_commit (request_id, request, paths, created_ms) VALUES (?, ?, ?, ?)",
                commit.requestId(), commit.request(), String.join("\n", commit.paths()), System.currentTimeMillis());
    }

    public synchronized List<PendingCommit> pendingCommits() {
        return query("SELECT request_id, request, paths FROM pending_commit ORDER BY created_ms", rs -> new PendingCommit(
                rs.getString(1), rs.getBytes(2), Arrays.asList(rs.getString(3).split("\n", -1))));
    }

    public synchronized void forgetCommit(String requestId) {
        update("DELETE FROM pending_commit WHERE request_id = ?", requestId);
    }

    // ---- problems, conflicts, status ------------------------------------------------------------------

    /** A path the client could not sync: why, and what the file looked like then (its signature). */
    public record ProblemRecord(String path, String reason, String signature) {
    }

    public synchronized Map<String, ProblemRecord> problems() {
        Map<String, ProblemRecord> problems = new HashMap<>();
        for (ProblemRecord p : query("SELECT path, reason, signature FROM problem",
                rs -> new ProblemRecord(rs.getString(1), rs.getString(2), rs.getString(3)))) {
            problems.put(p.path(), p);
        }
        return problems;
    }

    public synchronized void putProblem(ProblemRecord problem) {
        update("INSERT INTO problem (path, reason, signature, since_ms) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, signature = excluded.signature",
                problem.path(), problem.reason(), problem.signature(), System.currentTimeMillis());
    }

    public synchronized void clearProblems(Collection<String> paths) {
        batch("DELETE FROM problem WHERE path = ?", paths, (ps, p) -> ps.setString(1, p));
    }

    /** Forgets every problem whose signature starts with {@code prefix} (one kind of problem). */
    public synchronized void clearProblemsOfKind(String prefix) {
        update("DELETE FROM problem WHERE signature LIKE ? || '%'", prefix);
    }

    public synchronized void recordConflict(String originalPath, String copyPath) {
        update("INSERT INTO conflict (original, copy, at_ms) VALUES (?, ?, ?)", originalPath, copyPath,
                System.currentTimeMillis());
    }

    /** Records what the client is doing, for {@code status}. */
    public synchronized void recordStatus(String state, Optional<String> blockedReason, Optional<String> lastError,
                                          List<StatusReport.Transfer> uploads, List<StatusReport.Transfer> downloads) {
        inTransaction(() -> {
            putStatus("state", state);
            putStatus("blocked", blockedReason.orElse(""));
            lastError.ifPresent(e -> putStatus("last_error", e));
            putStatus("updated_ms", Long.toString(System.currentTimeMillis()));
            update("DELETE FROM pending_transfer");
            List<Object[]> rows = new ArrayList<>();
            uploads.forEach(t -> rows.add(new Object[] {"up", t.path(), t.size()}));
            downloads.forEach(t -> rows.add(new Object[] {"down", t.path(), t.size()}));
            batch("INSERT INTO pending_transfer (direction, path, size) VALUES (?, ?, ?)", rows, (ps, row) -> {
                ps.setString(1, (String) row[0]);
                ps.setString(2, (String) row[1]);
                ps.setLong(3, (Long) row[2]);
            });
        });
    }

    private void putStatus(String key, String value) {
        update("INSERT INTO status (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                key, value);
    }

    /** Reads the status as {@link StatusReader} does, from this connection. */
    public synchronized StatusReport status() {
        return StatusReader.read(connection);
    }

    // ---- plumbing -------------------------------------------------------------------------------

    /** Runs {@code work} in one transaction: all of it is recorded, or none. */
    public synchronized void inTransaction(Runnable work) {
        try {
            boolean outer = connection.getAutoCommit();
            if (!outer) {
                work.run();
                return;
            }
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
            } catch (RuntimeException | Error e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    static List<String> chunks(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(" "));
    }

    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    interface Binder<T> {
        void bind(PreparedStatement ps, T value) throws SQLException;
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        return query(connection, sql, mapper, args);
    }

    static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private <T> void batch(String sql, Collection<T> values, Binder<T> binder) {
        if (values.isEmpty()) {
            return;
        }
        inTransaction(() -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (T value : values) {
                    binder.bind(ps, value);
                    ps.addBatch();
                }
                ps.executeBatch();
            } catch (SQLException e) {
                throw failure(e);
            }
        });
    }

    static UncheckedIOException failure(SQLException e) {
        return new UncheckedIOException(new IOException("state database: " + e.getMessage(), e));
    }

    static Instant instant(String millis) {
        return millis == null || millis.isEmpty() ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(millis));
    }
}
