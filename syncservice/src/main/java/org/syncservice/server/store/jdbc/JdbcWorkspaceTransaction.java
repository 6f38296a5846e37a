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
import org.syncservice.server.sync.CommitPlan;
import org.syncservice.server.sync.ItemLock;
import org.syncservice.server.sync.ItemVersion;
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
    /** The workspace's lock rows as read with its lock, expired or not; null until read. */
    private List<ItemLock> lockRows;

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
            return RequestLogRows.commit(connection, deviceId, requestId);
        } catch (SQLException e) {
            throw Transactions.translate(e);
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

    private ItemVersion remember(ResultSet row) throws SQLException {
        ItemVersion item = ItemRows.latest(row);
        items.putIfAbsent(item.itemId(), item);
        return items.get(item.itemId());
    }

    /** Read with the workspace's lock, whose holding keeps them as they are for the transaction. */
    @Override
    public Map<Long, ItemLock> liveLocks(long nowMs) {
        if (lockRows == null) {
            throw new IllegalStateException("the workspace's lock rows were not read with its lock");
        }
        Map<Long, ItemLock> live = new HashMap<>();
        for (ItemLock lock : lockRows) {
            if (lock.liveAt(nowMs)) {
                live.put(lock.itemId(), lock);
            }
        }
        return live;
    }

    /** The workspace's lock rows, expired or not, read with its lock. */
    void lockRows(List<ItemLock> rows) {
        this.lockRows = rows;
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
