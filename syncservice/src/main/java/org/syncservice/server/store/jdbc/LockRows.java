package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.sync.EndedLock;
import org.syncservice.server.sync.ItemLock;

/**
 * The one reader and writer of item_locks, and of the outbox rows that announce locks: every
 * write runs inside a transaction that holds the lock's workspace (a lock_item, an unlock_item or
 * a commit), and its event is queued in the same transaction. Stateless.
 */
final class LockRows {
    /** The columns {@link #lock(ResultSet)} reads, the holder's names joined. */
    private static final String COLUMNS = "l.item_id, l.workspace_id, l.holder_user_id, l.holder_device_id, u.name,"
            + " d.name, l.reason, l.locked_at, l.expires_at FROM item_locks l"
            + " JOIN users u ON u.user_id = l.holder_user_id JOIN devices d ON d.device_id = l.holder_device_id";
    private static final String ONE = "SELECT " + COLUMNS + " WHERE l.item_id = ? AND l.workspace_id = ?";
    /**
     * Every lock row of some workspaces, expired or not, read with a commit round's locks
     * ({@link PrefetchReads}): each commit then keeps those live at its own time. A file has one
     * row at most, so these are never more than the workspaces' locked files.
     */
    static final String OF_WORKSPACES = "SELECT " + COLUMNS + " WHERE l.workspace_id = ANY (?::uuid[])";
    private static final String LIVE = "SELECT " + COLUMNS + " WHERE l.workspace_id = ? AND l.expires_at > ?";
    private static final String LIVE_OF = "SELECT " + COLUMNS
            + " WHERE l.workspace_id = ? AND l.item_id = ANY (?) AND l.expires_at > statement_timestamp()";
    private static final String PUT = "INSERT INTO item_locks (item_id, workspace_id, holder_user_id, holder_device_id,"
            + " reason, locked_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET"
            + " holder_user_id = EXCLUDED.holder_user_id, holder_device_id = EXCLUDED.holder_device_id,"
            + " reason = EXCLUDED.reason, locked_at = EXCLUDED.locked_at, expires_at = EXCLUDED.expires_at";
    private static final String REMOVE = "DELETE FROM item_locks WHERE item_id = ? AND workspace_id = ?";
    private static final String EVENT = "INSERT INTO outbox (kind, workspace_id, user_id, device_id, item_id,"
            + " lock_reason, lock_taken_at, lock_expires_at, lock_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private LockRows() {
    }

    /** The item's lock row, expired or not. */
    static Optional<ItemLock> find(Connection c, UUID workspaceId, long itemId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(ONE)) {
            select.setLong(1, itemId);
            select.setObject(2, workspaceId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(lock(row)) : Optional.empty();
            }
        }
    }

    /** The workspace's locks that still count at {@code nowMs}, by item id. */
    static Map<Long, ItemLock> live(Connection c, UUID workspaceId, long nowMs) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(LIVE)) {
            select.setObject(1, workspaceId);
            select.setTimestamp(2, JdbcWorkspaceTransaction.timestamp(nowMs));
            return byItem(select);
        }
    }

    /**
     * The live locks of some items of a workspace, by item id, on the database's clock: for a
     * listing, which takes no time from the service's clock (a lock within a clock skew of its
     * expiry may show in a listing and not refuse a commit, or the other way round).
     */
    static Map<Long, ItemLock> liveOf(Connection c, UUID workspaceId, Collection<Long> itemIds) throws SQLException {
        if (itemIds.isEmpty()) {
            return Map.of();
        }
        try (PreparedStatement select = c.prepareStatement(LIVE_OF)) {
            select.setObject(1, workspaceId);
            select.setArray(2, c.createArrayOf("bigint", itemIds.toArray()));
            return byItem(select);
        }
    }

    /** Writes the lock over whatever row the item had, and queues its LOCKED event. */
    static void put(Connection c, ItemLock lock) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(PUT)) {
            insert.setLong(1, lock.itemId());
            insert.setObject(2, lock.workspaceId());
            insert.setObject(3, lock.holderUserId());
            insert.setObject(4, lock.holderDeviceId());
            insert.setString(5, lock.reason());
            insert.setTimestamp(6, JdbcWorkspaceTransaction.timestamp(lock.lockedAtMs()));
            insert.setTimestamp(7, JdbcWorkspaceTransaction.timestamp(lock.expiresAtMs()));
            insert.executeUpdate();
        }
        event(c, OutboxKind.ITEM_LOCKED, lock, null);
    }

    /** Removes the locks and queues an UNLOCKED event for each. */
    static void end(Connection c, List<EndedLock> ended) throws SQLException {
        for (EndedLock each : ended) {
            try (PreparedStatement delete = c.prepareStatement(REMOVE)) {
                delete.setLong(1, each.lock().itemId());
                delete.setObject(2, each.lock().workspaceId());
                delete.executeUpdate();
            }
            event(c, OutboxKind.ITEM_UNLOCKED, each.lock(), each.end().name());
        }
    }

    private static void event(Connection c, OutboxKind kind, ItemLock lock, String end) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(EVENT)) {
            insert.setString(1, kind.name());
            insert.setObject(2, lock.workspaceId());
            insert.setObject(3, lock.holderUserId());
            insert.setObject(4, lock.holderDeviceId());
            insert.setLong(5, lock.itemId());
            insert.setString(6, lock.reason());
            insert.setTimestamp(7, JdbcWorkspaceTransaction.timestamp(lock.lockedAtMs()));
            insert.setTimestamp(8, JdbcWorkspaceTransaction.timestamp(lock.expiresAtMs()));
            insert.setString(9, end);
            insert.executeUpdate();
        }
    }

    private static Map<Long, ItemLock> byItem(PreparedStatement select) throws SQLException {
        Map<Long, ItemLock> locks = new HashMap<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                ItemLock lock = lock(rows);
                locks.put(lock.itemId(), lock);
            }
        }
        return locks;
    }

    /** A row of {@link #OF_WORKSPACES} (and of this class's other selects). */
    static ItemLock lock(ResultSet row) throws SQLException {
        return new ItemLock(row.getLong(1), row.getObject(2, UUID.class), row.getObject(3, UUID.class),
                row.getObject(4, UUID.class), row.getString(5), row.getString(6), row.getString(7),
                row.getTimestamp(8).getTime(), row.getTimestamp(9).getTime());
    }

    /** An outbox lock row's event fields, for {@link JdbcOutboxStore}: the lock as it was, with today's names. */
    static final String EVENT_SELECT = "SELECT o.item_id, o.workspace_id, o.user_id, o.device_id, u.name, d.name,"
            + " o.lock_reason, o.lock_taken_at, o.lock_expires_at, o.lock_end FROM outbox o"
            + " LEFT JOIN users u ON u.user_id = o.user_id LEFT JOIN devices d ON d.device_id = o.device_id"
            + " WHERE o.outbox_id = ?";

    /** The lock of an outbox row read by {@link #EVENT_SELECT}, with how it ended (null for LOCKED). */
    static ItemLock eventLock(ResultSet row) throws SQLException {
        return lock(row);
    }
}
