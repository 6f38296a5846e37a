package org.syncservice.server.store.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.syncservice.server.notify.OutboxEvent;
import org.syncservice.server.notify.OutboxStore;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.sync.LockEnd;
import org.syncservice.server.workspace.WorkspaceView;

/**
 * The outbox in PostgreSQL. A pass takes short transactions and none across the broker: the
 * claim leases a batch ({@code claimed_until}, taken with {@code FOR UPDATE SKIP LOCKED}, so
 * concurrent publishers take disjoint rows) and rebuilds its events; the publisher then talks to
 * the broker with no transaction open and no connection held; the mark records the confirmed rows
 * and the failures. A publisher that dies (or stalls) mid-pass leaves its rows leased until the
 * lease runs out; then any publisher takes them and publishes them again (at least once).
 * Thread-safe.
 */
public final class JdbcOutboxStore implements OutboxStore {
    /**
     * Leases a batch, reads per commit row how many versions it wrote, the folders they were
     * written in or moved out of (one more than announced at most, to tell that there are more)
     * and, unless too many, the versions themselves, and commits: one round trip. The claimed rows drive the query and each
     * lateral subquery is fenced, so every step is a lookup in item_versions_by_change whatever the table's statistics (docs/design.md). A row of another
     * kind finds no versions. Set-aside rows are skipped (the partial index outbox_publishable), and
     * so are rows another publisher leased, until the lease runs out. The claim's transaction does
     * not wait for the WAL flush: a lease lost in a database crash only lets another publisher take
     * the rows sooner. Every row of a claim gets the same {@code claimed_until}, which names the
     * claim when its failures are counted. The lookups that rebuild other kinds of rows run after
     * the COMMIT, in a transaction of their own, on rows this claim holds the lease of.
     */
    private static final String CLAIM = "WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true)),"
            + " claimed AS (UPDATE outbox o SET claimed_until = now() + ? * interval '1 millisecond' FROM unflushed"
            + "   WHERE o.outbox_id IN (SELECT outbox_id FROM outbox WHERE published_at IS NULL"
            + "   AND set_aside_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())"
            + "   ORDER BY outbox_id LIMIT ? FOR UPDATE SKIP LOCKED)"
            + "   RETURNING o.outbox_id, o.kind, o.workspace_id, o.user_id, o.device_id, o.change_seq, o.request_id,"
            + "   o.claimed_until)"
            + " SELECT k.outbox_id, k.kind, k.workspace_id, k.user_id, k.device_id, k.change_seq, k.request_id,"
            + " k.claimed_until, c.n, t.touched, v.* FROM claimed k"
            + " CROSS JOIN LATERAL (SELECT count(*) AS n FROM item_versions iv WHERE k.kind = '" + OutboxKind.COMMIT + "'"
            + "   AND iv.workspace_id = k.workspace_id AND iv.change_seq = k.change_seq) c"
            + " CROSS JOIN LATERAL (SELECT ARRAY (SELECT DISTINCT f.folder FROM item_versions iv"
            + "   LEFT JOIN item_versions p ON p.item_id = iv.item_id AND p.version = iv.version - 1"
            + "   CROSS JOIN LATERAL (VALUES (COALESCE(iv.parent_id, 0)), (COALESCE(p.parent_id, iv.parent_id, 0)))"
            + "   AS f (folder) WHERE k.kind = '" + OutboxKind.COMMIT + "' AND iv.workspace_id = k.workspace_id"
            + "   AND iv.change_seq = k.change_seq ORDER BY f.folder LIMIT ?) AS touched) t"
            + " LEFT JOIN LATERAL (SELECT " + ItemRows.VERSION_COLUMNS + " FROM item_versions iv"
            + "   WHERE k.kind = '" + OutboxKind.COMMIT + "' AND iv.workspace_id = k.workspace_id AND iv.change_seq = k.change_seq"
            + "   AND c.n <= ? OFFSET 0) v ON true"
            + " ORDER BY k.outbox_id, v.item_id; COMMIT";
    /** Where the versions' columns start in a row of {@link #CLAIM}, as {@link ItemRows#version} counts. */
    private static final int CLAIM_VERSION_OFFSET = 10;
    /**
     * Marks a published batch, and lets its transaction commit without waiting for the WAL flush
     * ({@code synchronous_commit} off for this transaction only): a mark lost in a database crash
     * only makes the batch go out again, which devices already tolerate (at least once), while
     * waiting for the disk would cost a flush per batch next to the commits' own. The mark is the
     * transaction's last work, so its COMMIT travels in the same round trip, and the driver, seeing
     * the transaction ended, sends none of its own. A row another publisher published meanwhile
     * (this pass outlived its lease) keeps its first mark.
     */
    private static final String MARK = "WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true))"
            + " UPDATE outbox SET published_at = now(), attempts = attempts + 1 FROM unflushed"
            + " WHERE outbox_id = ANY (?) AND published_at IS NULL; COMMIT";
    /**
     * Counts an attempt against each row that failed on its own, with why, sets aside the rows that
     * have now failed as often as allowed, and ends the lease of the others, so the next pass tries
     * them again. Only rows still under this claim's lease: when the lease ran out and another
     * publisher took a row, that publisher's attempt is the one that counts.
     */
    private static final String COUNT_FAILURES = "UPDATE outbox o SET attempts = o.attempts + 1,"
            + " last_error = f.reason, set_aside_at = CASE WHEN o.attempts + 1 >= ? THEN now() END,"
            + " claimed_until = NULL"
            + " FROM unnest(?::bigint[], ?::text[]) AS f (outbox_id, reason) WHERE o.outbox_id = f.outbox_id"
            + " AND o.claimed_until = ? AND o.published_at IS NULL"
            + " RETURNING o.set_aside_at IS NOT NULL";
    /** Ends a claim's lease on the rows it still holds, so that the next pass takes them again at once. */
    private static final String RELEASE = "UPDATE outbox SET claimed_until = NULL"
            + " WHERE outbox_id = ANY (?) AND claimed_until = ? AND published_at IS NULL";
    private static final String PRUNE = "DELETE FROM outbox WHERE outbox_id IN (SELECT outbox_id FROM outbox"
            + " WHERE published_at < ? ORDER BY published_at LIMIT 10000)";
    private static final String REPLAY = "UPDATE outbox SET set_aside_at = NULL, attempts = 0, claimed_until = NULL"
            + " WHERE set_aside_at IS NOT NULL AND published_at IS NULL";
    /** Longest reason kept in last_error: enough to tell causes apart, never a stack trace. */
    static final int MAX_REASON_CHARS = 500;

    private final Transactions tx;

    public JdbcOutboxStore(DataSource dataSource) {
        this.tx = new Transactions(dataSource);
    }

    private record Row(long outboxId, String kind, UUID workspaceId, UUID userId, UUID deviceId, long changeSeq,
                       String requestId) {
    }

    /** A leased batch: its rows, their events, the rows that could not be rebuilt, and the lease. */
    private record Claim(List<Long> ids, List<OutboxEvent> events, List<Refusal> failed, OffsetDateTime lease) {
        static final Claim NONE = new Claim(List.of(), List.of(), List.of(), null);
    }

    @Override
    public Pass publishPending(int batchSize, int maxItems, int maxAttempts, Duration lease,
                               BatchPublisher publisher) throws Exception {
        Claim claim = tx.inTransaction(c -> claim(c, batchSize, maxItems, lease));
        if (claim.ids().isEmpty()) {
            return Pass.EMPTY;
        }
        List<Refusal> failed = new ArrayList<>(claim.failed());
        try {
            if (!claim.events().isEmpty()) {
                failed.addAll(publisher.publish(claim.events()));
            }
        } catch (Exception | Error e) {
            release(claim, e);
            throw e;
        }
        Set<Long> failedIds = new HashSet<>();
        failed.forEach(refusal -> failedIds.add(refusal.outboxId()));
        List<Long> confirmed = new ArrayList<>(claim.ids().size());
        for (long id : claim.ids()) {
            if (!failedIds.contains(id)) {
                confirmed.add(id);
            }
        }
        return tx.inTransaction(c -> {
            int setAside = failed.isEmpty() ? 0 : countFailures(c, failed, maxAttempts, claim.lease());
            try (PreparedStatement mark = c.prepareStatement(MARK)) {
                mark.setArray(1, ids(c, confirmed));
                mark.execute();
            }
            return new Pass(confirmed.size(), failedIds.size(), setAside);
        });
    }

    /**
     * Lets the next pass take the claim's rows at once after the broker could not be used; when the
     * database cannot be reached either, the lease runs out instead.
     */
    private void release(Claim claim, Throwable cause) {
        try {
            tx.inTransaction(c -> {
                try (PreparedStatement release = c.prepareStatement(RELEASE)) {
                    release.setArray(1, ids(c, claim.ids()));
                    release.setObject(2, claim.lease());
                    return release.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Returns how many of the failed rows are now set aside. */
    private static int countFailures(Connection c, List<Refusal> failed, int maxAttempts, OffsetDateTime lease)
            throws SQLException {
        Long[] ids = new Long[failed.size()];
        String[] reasons = new String[failed.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = failed.get(i).outboxId();
            String reason = failed.get(i).reason();
            reasons[i] = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
        }
        try (PreparedStatement update = c.prepareStatement(COUNT_FAILURES)) {
            update.setInt(1, maxAttempts);
            update.setArray(2, c.createArrayOf("bigint", ids));
            update.setArray(3, c.createArrayOf("text", reasons));
            update.setObject(4, lease);
            int setAside = 0;
            try (ResultSet r = update.executeQuery()) {
                while (r.next()) {
                    setAside += r.getBoolean(1) ? 1 : 0;
                }
            }
            return setAside;
        }
    }

    @Override
    public int prunePublished(Instant before) {
        return tx.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(PRUNE)) {
                delete.setTimestamp(1, Timestamp.from(before));
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public long pendingCount() {
        return count("SELECT count(*) FROM outbox WHERE published_at IS NULL AND set_aside_at IS NULL");
    }

    @Override
    public long setAsideCount() {
        return count("SELECT count(*) FROM outbox WHERE set_aside_at IS NOT NULL AND published_at IS NULL");
    }

    private long count(String sql) {
        return tx.inTransaction(c -> {
            try (PreparedStatement count = c.prepareStatement(sql); ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public int replaySetAside(OptionalLong outboxId) {
        return tx.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement(REPLAY
                    + (outboxId.isPresent() ? " AND outbox_id = ?" : ""))) {
                if (outboxId.isPresent()) {
                    update.setLong(1, outboxId.getAsLong());
                }
                return update.executeUpdate();
            }
        });
    }

    /**
     * Leases a batch and rebuilds its events. The statement returns one line per version, ordered by
     * outbox id, so a row's lines are adjacent.
     */
    private static Claim claim(Connection c, int batchSize, int maxItems, Duration lease) throws SQLException {
        List<Claimed> rows = new ArrayList<>();
        OffsetDateTime leasedUntil = null;
        try (PreparedStatement select = c.prepareStatement(CLAIM)) {
            select.setLong(1, lease.toMillis());
            select.setInt(2, batchSize);
            select.setInt(3, OutboxEvent.Commit.MAX_TOUCHED_FOLDERS + 1);
            select.setLong(4, maxItems);
            if (!select.execute()) {
                throw new SQLException("the claim returned no rows result");
            }
            try (ResultSet r = select.getResultSet()) {
                while (r.next()) {
                    long outboxId = r.getLong(1);
                    if (rows.isEmpty() || rows.get(rows.size() - 1).row.outboxId() != outboxId) {
                        rows.add(new Claimed(new Row(outboxId, r.getString(2), r.getObject(3, UUID.class),
                                r.getObject(4, UUID.class), r.getObject(5, UUID.class), r.getLong(6),
                                r.getString(7)), r.getLong(9), List.of((Long[]) r.getArray(10).getArray())));
                        leasedUntil = r.getObject(8, OffsetDateTime.class);
                    }
                    r.getLong(CLAIM_VERSION_OFFSET + 1);
                    if (!r.wasNull()) {
                        rows.get(rows.size() - 1).versions.add(ItemRows.version(r, CLAIM_VERSION_OFFSET));
                    }
                }
            }
        }
        if (rows.isEmpty()) {
            return Claim.NONE;
        }
        List<Refusal> failed = new ArrayList<>();
        List<OutboxEvent> events = rebuild(c, rows, maxItems, failed);
        List<Long> ids = new ArrayList<>(rows.size());
        rows.forEach(claimed -> ids.add(claimed.row.outboxId()));
        return new Claim(ids, events, failed, leasedUntil);
    }

    /**
     * The events of the claimed rows. A row that cannot be rebuilt (a kind this version does not
     * know, written by a newer one; data that breaks an event's rules) is reported in
     * {@code failed} rather than failing the batch. A database error still fails the batch: it
     * ends the transaction, and is rarely the row's fault.
     */
    private static List<OutboxEvent> rebuild(Connection c, List<Claimed> rows, int maxItems, List<Refusal> failed)
            throws SQLException {
        List<OutboxEvent> events = new ArrayList<>(rows.size());
        for (Claimed claimed : rows) {
            try {
                events.add(rebuild(c, claimed, maxItems));
            } catch (RuntimeException e) {
                failed.add(new Refusal(claimed.row.outboxId(), "cannot rebuild the " + claimed.row.kind()
                        + " notification: " + e));
            }
        }
        return events;
    }

    private static OutboxEvent rebuild(Connection c, Claimed claimed, int maxItems) throws SQLException {
        Row row = claimed.row;
        OutboxKind kind = OutboxKind.stored(row.kind())
                .orElseThrow(() -> new IllegalArgumentException("unknown kind " + row.kind()));
        return switch (kind) {
            case COMMIT -> {
                boolean omitted = claimed.versionCount > maxItems;
                boolean tooManyFolders = claimed.touchedFolders.size() > OutboxEvent.Commit.MAX_TOUCHED_FOLDERS;
                yield new OutboxEvent.Commit(row.outboxId(), row.workspaceId(), row.changeSeq(),
                        row.deviceId(), row.requestId(), omitted ? List.of() : claimed.versions,
                        (int) claimed.versionCount, omitted, tooManyFolders ? List.of() : claimed.touchedFolders,
                        tooManyFolders);
            }
            case DEVICE_REVOKED -> new OutboxEvent.DeviceRevoked(row.outboxId(), row.userId(), row.deviceId());
            case DEVICE_REGISTERED -> registered(c, row);
            case ITEM_LOCKED, ITEM_UNLOCKED -> lockChange(c, row);
            case WORKSPACE_CREATED, WORKSPACE_RENAMED, WORKSPACE_SHARED, WORKSPACE_UNSHARED, MEMBERS_CHANGED,
                 PERMISSIONS_CHANGED ->
                    workspaceEvent(c, row, kind.workspaceChange().orElseThrow());
        };
    }

    private static OutboxEvent workspaceEvent(Connection c, Row row, OutboxEvent.WorkspaceChange change)
            throws SQLException {
        boolean membership = change == OutboxEvent.WorkspaceChange.SHARED
                || change == OutboxEvent.WorkspaceChange.CREATED
                || change == OutboxEvent.WorkspaceChange.UNSHARED;
        return new OutboxEvent.Workspace(row.outboxId(), change, row.userId(), row.workspaceId(),
                change == OutboxEvent.WorkspaceChange.UNSHARED ? null : view(c, row.userId(), row.workspaceId()),
                membership ? devices(c, row.userId()) : List.of());
    }

    /**
     * The device as it is described now, for the user's devices registered before it (a device
     * deleted since is announced to nobody).
     */
    private static OutboxEvent registered(Connection c, Row row) throws SQLException {
        String name = "";
        String os = "";
        List<UUID> recipients = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT d.name, d.os, o.device_id FROM devices d"
                + " LEFT JOIN devices o ON o.user_id = d.user_id AND o.device_id <> d.device_id"
                + " AND o.revoked_at IS NULL AND o.registered_at <= d.registered_at"
                + " WHERE d.device_id = ? ORDER BY o.registered_at, o.device_id")) {
            select.setObject(1, row.deviceId());
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    name = r.getString(1);
                    os = r.getString(2);
                    UUID recipient = r.getObject(3, UUID.class);
                    if (recipient != null) {
                        recipients.add(recipient);
                    }
                }
            }
        }
        return new OutboxEvent.DeviceRegistered(row.outboxId(), row.userId(), row.deviceId(), name, os, recipients);
    }

    /** A lock event: the lock as the row keeps it, with the holder's names as they are now. */
    private static OutboxEvent lockChange(Connection c, Row row) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(LockRows.EVENT_SELECT)) {
            select.setLong(1, row.outboxId());
            try (ResultSet r = select.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("outbox row " + row.outboxId() + " vanished");
                }
                String end = r.getString(10);
                return new OutboxEvent.ItemLockChange(row.outboxId(), LockRows.eventLock(r),
                        end == null ? null : LockEnd.valueOf(end));
            }
        }
    }

    /** A claimed row with how many versions its commit wrote and, unless too many, the versions. */
    private static final class Claimed {
        final Row row;
        final long versionCount;
        final List<Long> touchedFolders;
        final List<ItemVersion> versions = new ArrayList<>();

        Claimed(Row row, long versionCount, List<Long> touchedFolders) {
            this.row = row;
            this.versionCount = versionCount;
            this.touchedFolders = touchedFolders;
        }
    }

    private static WorkspaceView view(Connection c, UUID userId, UUID workspaceId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(WorkspaceRows.SELECT_VIEW
                + " WHERE m.user_id = ? AND m.workspace_id = ?")) {
            select.setObject(1, userId);
            select.setObject(2, workspaceId);
            try (ResultSet r = select.executeQuery()) {
                return r.next() ? WorkspaceRows.view(r) : null;
            }
        }
    }

    /** The user's registered devices: their queues follow the user's memberships. */
    private static List<UUID> devices(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT device_id FROM devices WHERE user_id = ? AND revoked_at IS NULL")) {
            select.setObject(1, userId);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    private static Array ids(Connection c, List<Long> ids) throws SQLException {
        return c.createArrayOf("bigint", ids.toArray(new Long[0]));
    }
}
