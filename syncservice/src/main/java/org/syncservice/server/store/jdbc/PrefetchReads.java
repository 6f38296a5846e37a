package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.syncservice.server.sync.ItemLock;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.sync.WorkspaceBatch.Access;
import org.syncservice.server.sync.WorkspaceBatch.Prefetch;

/**
 * The reads of a commit round that travel with its locks ({@link WorkspaceLocks}): the items the
 * round's calls refer to, with their ancestors, the live holders of the (folder, name key)
 * places they want, and the file locks of the round's workspaces (so that a commit meets them
 * without a round trip of its own). Each statement drives its lookups from the arrays it is given, one index probe
 * per element (the lateral subqueries are fenced with OFFSET 0, so no plan can turn them into scans
 * of a whole workspace: docs/design.md). The rows are kept until the views exist; rows of a
 * workspace the caller may not see are never handed to a view. Not thread-safe.
 */
final class PrefetchReads {
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

    private static final String LOCKS = ";" + LockRows.OF_WORKSPACES;

    /** What {@link #sql()} can answer: constants, so each is one string whose hash is computed once. */
    static final List<String> STATEMENT_VARIANTS = List.of(LOCKS, ";" + ITEMS_WITH_ANCESTORS + LOCKS,
            ";" + LIVE_CHILDREN + LOCKS, ";" + ITEMS_WITH_ANCESTORS + ";" + LIVE_CHILDREN + LOCKS);

    private final List<Prefetch> wants;
    private final List<UUID> itemWorkspaces = new ArrayList<>();
    private final List<Long> itemIds = new ArrayList<>();
    private final List<UUID> placeWorkspaces = new ArrayList<>();
    private final List<Long> placeParents = new ArrayList<>();
    private final List<String> placeKeys = new ArrayList<>();
    private final List<ItemVersion> items = new ArrayList<>();
    private final List<ItemVersion> holders = new ArrayList<>();
    private final Object[] lockWorkspaces;
    private final List<ItemLock> locks = new ArrayList<>();

    PrefetchReads(List<Access> accesses, List<Prefetch> wants) {
        this.wants = wants;
        this.lockWorkspaces = accesses.stream().map(Access::workspaceId).distinct().toArray();
        for (Prefetch want : wants) {
            UUID workspaceId = accesses.get(want.index()).workspaceId();
            for (Long id : new HashSet<>(want.itemIds())) {
                itemWorkspaces.add(workspaceId);
                itemIds.add(id);
            }
            for (int i = 0; i < want.parentIds().size(); i++) {
                placeWorkspaces.add(workspaceId);
                placeParents.add(want.parentIds().get(i));
                placeKeys.add(want.nameKeys().get(i));
            }
        }
    }

    /** The statements to run after the locks, each prefixed with ";". */
    String sql() {
        return STATEMENT_VARIANTS.get((itemIds.isEmpty() ? 0 : 1) + (placeParents.isEmpty() ? 0 : 2));
    }

    /** Binds the statements' parameters from {@code index} on; returns the next free index. */
    int bind(Connection connection, PreparedStatement statement, int index) throws SQLException {
        int next = index;
        if (!itemIds.isEmpty()) {
            statement.setArray(next++, connection.createArrayOf("uuid", itemWorkspaces.toArray()));
            statement.setArray(next++, connection.createArrayOf("bigint", itemIds.toArray(new Long[0])));
        }
        if (!placeParents.isEmpty()) {
            statement.setArray(next++, connection.createArrayOf("uuid", placeWorkspaces.toArray()));
            statement.setArray(next++, connection.createArrayOf("bigint", placeParents.toArray(new Long[0])));
            statement.setArray(next++, connection.createArrayOf("text", placeKeys.toArray(new String[0])));
        }
        statement.setArray(next++, connection.createArrayOf("uuid", lockWorkspaces));
        return next;
    }

    /** Reads the statements' results, in {@link #sql()} order, from a statement positioned after the locks'. */
    void read(PreparedStatement statement) throws SQLException {
        if (!itemIds.isEmpty()) {
            readInto(statement, items, ItemRows::latest);
        }
        if (!placeParents.isEmpty()) {
            readInto(statement, holders, ItemRows::latest);
        }
        readInto(statement, locks, LockRows::lock);
    }

    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private static <T> void readInto(PreparedStatement statement, List<T> into, RowReader<T> reader)
            throws SQLException {
        if (!statement.getMoreResults()) {
            throw new SQLException("a prefetch statement returned no rows result");
        }
        try (ResultSet rows = statement.getResultSet()) {
            while (rows.next()) {
                into.add(reader.read(rows));
            }
        }
    }

    List<Prefetch> wants() {
        return wants;
    }

    /** The referred items and their ancestors, of every wanted workspace. */
    List<ItemVersion> items() {
        return items;
    }

    /** The live holders of the wanted places, of every wanted workspace. */
    List<ItemVersion> holders() {
        return holders;
    }

    /** The lock rows of every workspace of the round, expired or not. */
    List<ItemLock> locks() {
        return locks;
    }
}
