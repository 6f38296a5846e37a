package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.syncservice.server.sync.CommitOutcome;
import org.syncservice.server.sync.CommitPlan;
import org.syncservice.server.sync.ItemResult;
import org.syncservice.server.sync.ItemNames;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.sync.RejectReason;
import org.syncservice.server.sync.WorkspaceTransaction;

/**
 * One commit's reads and writes on one connection, inside the transaction that holds the
 * workspace's lock. Items read once are kept for the rest of the transaction; the lock guarantees
 * nobody else changes them meanwhile. Not thread-safe: one commit, one thread.
 */
final class JdbcWorkspaceTransaction implements WorkspaceTransaction {
    private final Connection connection;
    private final LockedWorkspace workspace;
    private final Map<Long, ItemVersion> items = new HashMap<>();
    private final Set<Long> absent = new HashSet<>();
    /** Live holders of (folder, name key) places as stored; a place known to be free maps to 0. */
    private final Map<Place, Long> places = new HashMap<>();
    private final List<CommitWriter.Pending> applied = new ArrayList<>();

    private record Place(long parentId, String nameKey) {
    }

    JdbcWorkspaceTransaction(Connection connection, LockedWorkspace workspace) {
        this.connection = connection;
        this.workspace = workspace;
    }

    @Override
    public LockedWorkspace workspace() {
        return workspace;
    }

    @Override
    public Optional<RecordedRequest> recordedRequest(UUID deviceId, String requestId) {
        try {
            String operation;
            byte[] hash;
            long changeSeq;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT operation, request_hash, change_seq FROM request_log WHERE device_id = ? AND request_id = ?")) {
                select.setObject(1, deviceId);
                select.setString(2, requestId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    operation = row.getString(1);
                    hash = row.getBytes(2);
                    changeSeq = row.getLong(3);
                }
            }
            List<ItemResult> results = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT li.item_id, li.temp_id, li.outcome, li.reject_reason, li.message, "
                            + prefixed("v.", ItemRows.VERSION_COLUMNS)
                            + " FROM request_log_items li LEFT JOIN item_versions v"
                            + " ON v.item_id = li.shown_item_id AND v.version = li.shown_version"
                            + " WHERE li.device_id = ? AND li.request_id = ? ORDER BY li.position")) {
                select.setObject(1, deviceId);
                select.setString(2, requestId);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        row.getLong(6);
                        ItemVersion shown = row.wasNull() ? null : ItemRows.version(row, 5);
                        String reason = row.getString(4);
                        results.add(new ItemResult(row.getLong(1), row.getString(2),
                                CommitOutcome.valueOf(row.getString(3)), shown,
                                reason == null ? null : RejectReason.valueOf(reason), row.getString(5)));
                    }
                }
            }
            return Optional.of(new RecordedRequest(operation, hash, changeSeq, results));
        } catch (SQLException e) {
            throw Transactions.translate(e);
        }
    }

    @Override
    public void prefetch(Collection<Long> itemIds) {
        Set<Long> wanted = new HashSet<>(itemIds);
        wanted.removeAll(items.keySet());
        wanted.removeAll(absent);
        if (wanted.isEmpty()) {
            return;
        }
        // Each step is a primary-key lookup whatever the table's statistics: see docs/design.md
        // ("Plans that stay right as tables grow") for why the lateral subquery is fenced.
        String sql = "WITH RECURSIVE chain AS ("
                + " SELECT " + ItemRows.ITEM_COLUMNS + " FROM items WHERE workspace_id = ? AND item_id = ANY (?)"
                + " UNION SELECT p.* FROM chain c CROSS JOIN LATERAL (SELECT " + ItemRows.ITEM_COLUMNS
                + " FROM items i WHERE i.item_id = c.parent_id AND i.workspace_id = ? OFFSET 0) p"
                + ") SELECT " + ItemRows.ITEM_COLUMNS + " FROM chain";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, workspace.workspaceId());
            select.setArray(2, connection.createArrayOf("bigint", wanted.toArray()));
            select.setObject(3, workspace.workspaceId());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ItemVersion item = ItemRows.latest(rows);
                    items.put(item.itemId(), item);
                }
            }
        } catch (SQLException e) {
            throw Transactions.translate(e);
        }
        for (Long id : wanted) {
            if (!items.containsKey(id)) {
                absent.add(id);
            }
        }
    }

    @Override
    public Optional<ItemVersion> item(long itemId) {
        ItemVersion cached = items.get(itemId);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (absent.contains(itemId)) {
            return Optional.empty();
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + ItemRows.ITEM_COLUMNS + " FROM items WHERE item_id = ? AND workspace_id = ?")) {
            select.setLong(1, itemId);
            select.setObject(2, workspace.workspaceId());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    absent.add(itemId);
                    return Optional.empty();
                }
                ItemVersion item = ItemRows.latest(row);
                items.put(itemId, item);
                return Optional.of(item);
            }
        } catch (SQLException e) {
            throw Transactions.translate(e);
        }
    }

    @Override
    public Optional<ItemVersion> version(long itemId, long version) {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + ItemRows.VERSION_COLUMNS
                + " FROM item_versions WHERE item_id = ? AND version = ? AND workspace_id = ?")) {
            select.setLong(1, itemId);
            select.setLong(2, version);
            select.setObject(3, workspace.workspaceId());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(ItemRows.version(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Transactions.translate(e);
        }
    }

    @Override
    public Optional<ItemVersion> liveChild(long parentId, String nameKey) {
        Long known = places.get(new Place(parentId, nameKey));
        if (known != null) {
            return known == 0 ? Optional.empty() : item(known);
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT " + ItemRows.ITEM_COLUMNS
                + " FROM items WHERE workspace_id = ? AND COALESCE(parent_id, 0) = ? AND name_key = ? AND NOT deleted")) {
            select.setObject(1, workspace.workspaceId());
            select.setLong(2, parentId);
            select.setString(3, nameKey);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    places.put(new Place(parentId, nameKey), 0L);
                    return Optional.empty();
                }
                ItemVersion item = remember(row);
                places.put(new Place(parentId, nameKey), item.itemId());
                return Optional.of(item);
            }
        } catch (SQLException e) {
            throw Transactions.translate(e);
        }
    }

    @Override
    public void prefetchLiveChildren(List<Long> parentIds, List<String> nameKeys) {
        // One lookup in items_live_name_in_folder per wanted place, whatever the table's statistics
        // (docs/design.md, "Plans that stay right as tables grow").
        try (PreparedStatement select = connection.prepareStatement("SELECT i.* FROM unnest(?::bigint[], ?::text[])"
                + " AS k (parent_id, name_key) CROSS JOIN LATERAL (SELECT " + ItemRows.ITEM_COLUMNS
                + " FROM items WHERE workspace_id = ? AND COALESCE(parent_id, 0) = k.parent_id"
                + " AND name_key = k.name_key AND NOT deleted OFFSET 0) i")) {
            select.setArray(1, connection.createArrayOf("bigint", parentIds.toArray()));
            select.setArray(2, connection.createArrayOf("text", nameKeys.toArray()));
            select.setObject(3, workspace.workspaceId());
            for (int i = 0; i < parentIds.size(); i++) {
                places.put(new Place(parentIds.get(i), nameKeys.get(i)), 0L);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ItemVersion item = remember(rows);
                    places.put(new Place(item.parentId(), ItemNames.key(item.name())), item.itemId());
                }
            }
        } catch (SQLException e) {
            throw Transactions.translate(e);
        }
    }

    private ItemVersion remember(ResultSet row) throws SQLException {
        ItemVersion item = ItemRows.latest(row);
        items.putIfAbsent(item.itemId(), item);
        return items.get(item.itemId());
    }

    @Override
    public long[] allocateItemIds(int count) {
        return allocateItemIds(connection, count);
    }

    static long[] allocateItemIds(Connection connection, int count) {
        long[] ids = new long[count];
        if (count == 0) {
            return ids;
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT nextval(pg_get_serial_sequence('items', 'item_id')) FROM generate_series(1, ?)")) {
            select.setInt(1, count);
            try (ResultSet rows = select.executeQuery()) {
                for (int i = 0; rows.next(); i++) {
                    ids[i] = rows.getLong(1);
                }
            }
            return ids;
        } catch (SQLException e) {
            throw Transactions.translate(e);
        }
    }

    /** Kept until the store writes the plans of every view of the transaction together. */
    @Override
    public void apply(CommitPlan plan) {
        applied.add(new CommitWriter.Pending(workspace, plan));
    }

    List<CommitWriter.Pending> applied() {
        return applied;
    }

    /** An item found by a prefetch made for several views at once. */
    void found(ItemVersion item) {
        items.putIfAbsent(item.itemId(), item);
    }

    /** After a prefetch made for several views at once: which wanted items it did not find. */
    void notFound(Collection<Long> wanted) {
        for (Long id : wanted) {
            if (!items.containsKey(id)) {
                absent.add(id);
            }
        }
    }

    /** A (folder, name key) place looked up by a prefetch; {@code holder} is 0 when it is free. */
    void place(long parentId, String nameKey, long holder) {
        places.put(new Place(parentId, nameKey), holder);
    }

    static String prefixed(String prefix, String columns) {
        StringBuilder out = new StringBuilder();
        for (String column : columns.split(",")) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(prefix).append(column.trim());
        }
        return out.toString();
    }

    static Timestamp timestamp(long epochMs) {
        return Timestamp.from(Instant.ofEpochMilli(epochMs));
    }
}
