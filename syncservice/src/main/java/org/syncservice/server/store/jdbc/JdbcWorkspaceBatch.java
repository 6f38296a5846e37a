package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.syncservice.server.sync.ItemNames;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.sync.WorkspaceBatch;
import org.syncservice.server.sync.WorkspaceBatch.RequestKey;
import org.syncservice.server.sync.WorkspaceTransaction;

/**
 * The views of several locked workspaces on one connection, and the reads made for all of them at
 * once. Every statement drives its lookups from the arrays it is given, one index probe per
 * element (the lateral subqueries are fenced with OFFSET 0, so no plan can turn them into scans of
 * a whole workspace: docs/design.md). Not thread-safe: one batch, one thread.
 */
final class JdbcWorkspaceBatch implements WorkspaceBatch {
    private static final String ITEMS_WITH_ANCESTORS = "WITH RECURSIVE chain AS ("
            + " SELECT i.* FROM unnest(?::uuid[], ?::bigint[]) AS k (workspace_id, item_id)"
            + " CROSS JOIN LATERAL (SELECT " + ItemRows.ITEM_COLUMNS + " FROM items"
            + " WHERE workspace_id = k.workspace_id AND item_id = k.item_id OFFSET 0) i"
            + " UNION SELECT p.* FROM chain c CROSS JOIN LATERAL (SELECT " + ItemRows.ITEM_COLUMNS
            + " FROM items i WHERE i.item_id = c.parent_id AND i.workspace_id = c.workspace_id OFFSET 0) p"
            + ") SELECT " + ItemRows.ITEM_COLUMNS + " FROM chain";
    private static final String LIVE_CHILDREN = "SELECT i.*"
            + " FROM unnest(?::uuid[], ?::bigint[], ?::text[]) AS k (workspace_id, parent_id, name_key)"
            + " CROSS JOIN LATERAL (SELECT " + ItemRows.ITEM_COLUMNS + " FROM items"
            + " WHERE workspace_id = k.workspace_id AND COALESCE(parent_id, 0) = k.parent_id"
            + " AND name_key = k.name_key AND NOT deleted OFFSET 0) i";

    private final Connection connection;
    private final List<Optional<JdbcWorkspaceTransaction>> views;
    private final Map<UUID, JdbcWorkspaceTransaction> byWorkspace = new HashMap<>();

    private final long[] reservedIds;
    private int nextReserved;

    private final Set<RequestKey> recordedAtLock;

    /**
     * @param reservedIds item ids reserved with the locks, handed out before any more are asked for
     * @param recordedAtLock which of the accesses' requests had stored answers when the locks were taken
     */
    JdbcWorkspaceBatch(Connection connection, List<Optional<JdbcWorkspaceTransaction>> views, long[] reservedIds,
                       Set<RequestKey> recordedAtLock) {
        this.connection = connection;
        this.views = views;
        this.reservedIds = reservedIds;
        this.recordedAtLock = recordedAtLock;
        for (Optional<JdbcWorkspaceTransaction> view : views) {
            view.ifPresent(v -> byWorkspace.put(v.workspace().workspaceId(), v));
        }
    }

    @Override
    public Optional<WorkspaceTransaction> workspace(int index) {
        return views.get(index).map(view -> view);
    }

    List<CommitWriter.Pending> applied() {
        List<CommitWriter.Pending> all = new ArrayList<>();
        for (Optional<JdbcWorkspaceTransaction> view : views) {
            view.ifPresent(v -> all.addAll(v.applied()));
        }
        return all;
    }

    @Override
    public Set<RequestKey> recordedRequests() {
        return recordedAtLock;
    }

    @Override
    public void prefetch(List<Prefetch> wants) {
        try {
            prefetchItems(wants);
            prefetchPlaces(wants);
        } catch (SQLException e) {
            throw Transactions.translate(e);
        }
    }

    private void prefetchItems(List<Prefetch> wants) throws SQLException {
        List<UUID> workspaces = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (Prefetch want : wants) {
            UUID workspaceId = view(want).workspace().workspaceId();
            for (Long id : new HashSet<>(want.itemIds())) {
                workspaces.add(workspaceId);
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement select = connection.prepareStatement(ITEMS_WITH_ANCESTORS)) {
            select.setArray(1, connection.createArrayOf("uuid", workspaces.toArray()));
            select.setArray(2, connection.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ItemVersion item = ItemRows.latest(rows);
                    byWorkspace.get(item.workspaceId()).found(item);
                }
            }
        }
        for (Prefetch want : wants) {
            view(want).notFound(want.itemIds());
        }
    }

    private void prefetchPlaces(List<Prefetch> wants) throws SQLException {
        List<UUID> workspaces = new ArrayList<>();
        List<Long> parents = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Prefetch want : wants) {
            JdbcWorkspaceTransaction view = view(want);
            for (int i = 0; i < want.parentIds().size(); i++) {
                workspaces.add(view.workspace().workspaceId());
                parents.add(want.parentIds().get(i));
                keys.add(want.nameKeys().get(i));
                view.place(want.parentIds().get(i), want.nameKeys().get(i), 0L);
            }
        }
        if (parents.isEmpty()) {
            return;
        }
        try (PreparedStatement select = connection.prepareStatement(LIVE_CHILDREN)) {
            select.setArray(1, connection.createArrayOf("uuid", workspaces.toArray()));
            select.setArray(2, connection.createArrayOf("bigint", parents.toArray()));
            select.setArray(3, connection.createArrayOf("text", keys.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ItemVersion item = ItemRows.latest(rows);
                    JdbcWorkspaceTransaction view = byWorkspace.get(item.workspaceId());
                    view.found(item);
                    view.place(item.parentId(), ItemNames.key(item.name()), item.itemId());
                }
            }
        }
    }

    private JdbcWorkspaceTransaction view(Prefetch want) {
        return views.get(want.index()).orElseThrow(() ->
                new IllegalArgumentException("no view " + want.index() + " to prefetch for"));
    }

    @Override
    public long[] allocateItemIds(int count) {
        int reserved = Math.min(count, reservedIds.length - nextReserved);
        long[] ids = new long[count];
        System.arraycopy(reservedIds, nextReserved, ids, 0, reserved);
        nextReserved += reserved;
        if (reserved < count) {
            long[] more = JdbcWorkspaceTransaction.allocateItemIds(connection, count - reserved);
            System.arraycopy(more, 0, ids, reserved, more.length);
        }
        return ids;
    }
}
