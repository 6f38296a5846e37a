package org.syncservice.server.store.jdbc;

import static org.syncservice.server.store.jdbc.JdbcListingSnapshot.AS_OF_SNAPSHOT;
import static org.syncservice.server.store.jdbc.JdbcListingSnapshot.COLUMNS;
import static org.syncservice.server.store.jdbc.JdbcListingSnapshot.VERSION_COLUMNS;
import static org.syncservice.server.sync.SyncStore.FULL_LISTING;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.syncservice.server.sync.ListingScope;
import org.syncservice.server.sync.SyncStore.ListedItem;
import org.syncservice.server.sync.SyncStore.ListingPosition;

/**
 * The getChanges listing of some subtrees (folder-level sync), on a {@link JdbcListingSnapshot}'s
 * connection and with its rules: items as of the snapshot S, in (depth, item_id) order, leaving
 * out items whose place changed after S. Such an item's place, and so its whole chain of folders
 * up to the root, is the one it had at S, which is why the tree as it is now decides what is in
 * the subtrees. Never a pass over the workspace (docs/design.md, Folder-level sync): from an empty
 * cursor the subtrees are walked down from the selected folders through items_by_parent; after a
 * cursor, the items changed since are found through items_by_change as in the whole workspace's
 * listing and each is walked up, through the primary key, until a selected folder or the root.
 * Not thread-safe: one per transaction.
 */
final class JdbcSubtreeListing {
    /**
     * The folders above the live selected ones, each with whether a selected folder below it
     * changed after the cursor: then it is listed, changed or not, since the device may not have
     * it (the selected folder moved under it, or came back from the dead, or the device dropped
     * it while the selected folder was deleted). A selected folder deleted at S keeps none; one
     * deleted after S was perhaps live at S, and is listed so, with the folders above it. One
     * whose place changed after S is left out of the listing with its subtree (the next has it),
     * and so are the folders above it now, which may not have been above it at S.
     */
    private static final String ANCESTORS = "WITH RECURSIVE up(item_id, moved) AS ("
            + " SELECT parent_id, change_seq > ? FROM items WHERE workspace_id = ? AND item_id = ANY (?)"
            + " AND parent_id IS NOT NULL AND tree_seq <= ? AND (NOT deleted OR change_seq > ?)"
            + " UNION SELECT i.parent_id, up.moved FROM items i JOIN up ON i.item_id = up.item_id"
            + " WHERE i.parent_id IS NOT NULL"
            + ") SELECT item_id, bool_or(moved) FROM up GROUP BY item_id";
    private static final String FOLDERS = "SELECT item_id FROM items WHERE workspace_id = ? AND item_id = ANY (?)"
            + " AND is_folder";
    /** Parameters: the folders above the selected ones, the selected ones. The walk stops at the first selected one. */
    private static final String OUTSIDE = " CROSS JOIN LATERAL (SELECT NOT (i.item_id = ANY (?) OR EXISTS ("
            + "WITH RECURSIVE up(item_id, parent_id) AS (SELECT i.item_id, i.parent_id"
            + " UNION ALL SELECT a.item_id, a.parent_id FROM items a JOIN up ON a.item_id = up.parent_id)"
            + " SELECT 1 FROM up WHERE up.item_id = ANY (?))) AS outside) s";
    /** The subtrees and the folders above them, tombstones included: an item deleted after S was live at S. */
    private static final String MEMBERS = "WITH RECURSIVE sub(item_id) AS ("
            + " SELECT item_id FROM items WHERE workspace_id = ? AND item_id = ANY (?)"
            + " UNION SELECT c.item_id FROM items c JOIN sub ON c.parent_id = sub.item_id"
            + "), members AS MATERIALIZED (SELECT item_id FROM sub UNION SELECT unnest(?::bigint[]))";
    private static final String FROM_SCRATCH = MEMBERS + " SELECT * FROM ("
            + "(SELECT " + COLUMNS + ", false FROM members m JOIN items i ON i.item_id = m.item_id"
            + " WHERE i.change_seq <= ? AND i.tree_seq <= ? AND NOT i.deleted AND (i.depth, i.item_id) > (?, ?)"
            + " ORDER BY i.depth, i.item_id LIMIT ?)"
            + " UNION ALL (SELECT " + VERSION_COLUMNS + ", false FROM members m JOIN items i ON i.item_id = m.item_id"
            + AS_OF_SNAPSHOT + " WHERE i.change_seq > ? AND i.tree_seq <= ? AND v.status <> 'DELETED'"
            + " AND (i.depth, i.item_id) > (?, ?) ORDER BY i.depth, i.item_id LIMIT ?)"
            + ") listed ORDER BY depth, item_id LIMIT ?";
    /**
     * Three parts: the changes at or below S, the changes after S as of S (both as in the whole
     * workspace's listing, {@code depth + 0} for the same reason), and the folders unchanged since
     * the cursor above selected folders that changed ({@link #ANCESTORS}; those of them changed
     * after S come in the second part, as of S, however old that state). Of the first two, an
     * item outside the subtrees is kept only when its place changed after the cursor: it may
     * have left them.
     */
    private static final String AFTER_CURSOR = "SELECT * FROM ("
            + "(SELECT " + COLUMNS + ", s.outside FROM items i" + OUTSIDE
            + " WHERE i.workspace_id = ? AND i.change_seq > ? AND i.change_seq <= ? AND i.tree_seq <= ?"
            + " AND (NOT s.outside OR i.tree_seq > ?) AND (i.depth, i.item_id) > (?, ?)"
            + " ORDER BY i.depth, i.item_id LIMIT ?)"
            + " UNION ALL (SELECT " + VERSION_COLUMNS + ", s.outside FROM items i" + AS_OF_SNAPSHOT + OUTSIDE
            + " WHERE i.workspace_id = ? AND i.change_seq > ? AND i.tree_seq <= ?"
            + " AND (GREATEST(v.change_seq, i.tree_seq) > ? OR i.item_id = ANY (?)) AND (NOT s.outside OR i.tree_seq > ?)"
            + " AND (i.depth + 0, i.item_id) > (?, ?) ORDER BY i.depth, i.item_id LIMIT ?)"
            + " UNION ALL (SELECT " + COLUMNS + ", false FROM items i WHERE i.workspace_id = ? AND i.item_id = ANY (?)"
            + " AND i.change_seq <= ? AND i.tree_seq <= ? AND (i.depth, i.item_id) > (?, ?)"
            + " ORDER BY i.depth, i.item_id LIMIT ?)"
            + ") listed ORDER BY depth, item_id LIMIT ?";
    /** The column of {@link #FROM_SCRATCH} and {@link #AFTER_CURSOR} that says an item is outside the subtrees. */
    private static final int OUTSIDE_COLUMN = 17;

    private final Connection connection;
    private final UUID workspaceId;

    JdbcSubtreeListing(Connection connection, UUID workspaceId) {
        this.connection = connection;
        this.workspaceId = workspaceId;
    }

    Set<Long> folders(Collection<Long> itemIds) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(FOLDERS)) {
            select.setObject(1, workspaceId);
            select.setArray(2, ids(itemIds));
            Set<Long> folders = new HashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    folders.add(rows.getLong(1));
                }
            }
            return folders;
        }
    }

    List<ListedItem> items(ListingScope scope, long sinceSeq, long snapshotSeq, ListingPosition position, int limit)
            throws SQLException {
        Array roots = ids(scope.subtreeIds());
        List<Long> above = new ArrayList<>();
        List<Long> aboveMoved = new ArrayList<>();
        ancestors(roots, sinceSeq, snapshotSeq, above, aboveMoved);
        boolean full = sinceSeq == FULL_LISTING;
        try (PreparedStatement select = connection.prepareStatement(full ? FROM_SCRATCH : AFTER_CURSOR)) {
            Binder bind = new Binder(select);
            if (full) {
                bind.uuid(workspaceId).array(roots).array(ids(above));
                bind.value(snapshotSeq).value(snapshotSeq).position(position).value(limit);
                bind.value(snapshotSeq).value(snapshotSeq).value(snapshotSeq).position(position).value(limit);
            } else {
                Array aboveIds = ids(above);
                bind.array(aboveIds).array(roots).uuid(workspaceId).value(sinceSeq).value(snapshotSeq)
                        .value(snapshotSeq).value(sinceSeq).position(position).value(limit);
                Array aboveMovedIds = ids(aboveMoved);
                bind.value(snapshotSeq).array(aboveIds).array(roots).uuid(workspaceId).value(snapshotSeq)
                        .value(snapshotSeq).value(sinceSeq).array(aboveMovedIds).value(sinceSeq).position(position)
                        .value(limit);
                bind.uuid(workspaceId).array(aboveMovedIds).value(sinceSeq).value(snapshotSeq).position(position)
                        .value(limit);
            }
            bind.value(limit);
            List<ListedItem> items = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    items.add(new ListedItem(ItemRows.latest(rows), ItemRows.depth(rows),
                            rows.getBoolean(OUTSIDE_COLUMN)));
                }
            }
            return items;
        }
    }

    /** Fills {@code above} with the folders above the selected ones, and {@code moved} with those of them to list anyway. */
    private void ancestors(Array roots, long sinceSeq, long snapshotSeq, List<Long> above, List<Long> moved)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(ANCESTORS)) {
            select.setLong(1, sinceSeq);
            select.setObject(2, workspaceId);
            select.setArray(3, roots);
            select.setLong(4, snapshotSeq);
            select.setLong(5, snapshotSeq);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    above.add(rows.getLong(1));
                    if (rows.getBoolean(2)) {
                        moved.add(rows.getLong(1));
                    }
                }
            }
        }
    }

    private Array ids(Collection<Long> ids) throws SQLException {
        return connection.createArrayOf("int8", ids.toArray());
    }

    /** Binds a statement's parameters in the order they appear in its text. */
    private static final class Binder {
        private final PreparedStatement statement;
        private int next = 1;

        Binder(PreparedStatement statement) {
            this.statement = statement;
        }

        Binder uuid(UUID value) throws SQLException {
            statement.setObject(next++, value);
            return this;
        }

        Binder value(long value) throws SQLException {
            statement.setLong(next++, value);
            return this;
        }

        Binder array(Array value) throws SQLException {
            statement.setArray(next++, value);
            return this;
        }

        Binder position(ListingPosition position) throws SQLException {
            statement.setInt(next++, position.depth());
            statement.setLong(next++, position.itemId());
            return this;
        }
    }
}
