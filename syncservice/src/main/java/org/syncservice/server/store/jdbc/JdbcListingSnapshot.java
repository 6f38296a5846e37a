package org.syncservice.server.store.jdbc;

import static org.syncservice.server.sync.SyncStore.FULL_LISTING;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.syncservice.server.sync.ItemLock;
import org.syncservice.server.sync.ListingScope;
import org.syncservice.server.sync.SyncStore.ListedItem;
import org.syncservice.server.sync.SyncStore.ListingPosition;
import org.syncservice.server.sync.SyncStore.ListingSnapshot;
import org.syncservice.server.sync.SyncStore.WorkspaceSequence;

/**
 * A getChanges listing as of a snapshot sequence number S, on the connection of one REPEATABLE READ
 * transaction (docs/design.md, getChanges). Two parts, each in (depth, item_id) order: items whose
 * last change is at or below S, as their rows are; and items changed after S, as their newest
 * version at or below S (none: the item did not exist at S). Both leave out items whose place in
 * the tree changed after S (tree_seq above S): their depth, the listing's first key, is not the one
 * they had at S, and the next listing has them. Not thread-safe: one per transaction.
 */
final class JdbcListingSnapshot implements ListingSnapshot {
    static final String COLUMNS = "i.item_id, i.workspace_id, i.parent_id, i.name, i.is_folder,"
            + " i.latest_version, i.status, i.mime_type, i.checksum, i.size_bytes, i.modified_at, i.chunks,"
            + " i.change_seq, i.device_id, i.committed_at, i.depth";
    /** As of S: a version's own sequence number, or the later move of a folder above it if that is at or below S. */
    static final String VERSION_COLUMNS = "v.item_id, v.workspace_id, v.parent_id, v.name, v.is_folder,"
            + " v.version, v.status, v.mime_type, v.checksum, v.size_bytes, v.modified_at, v.chunks,"
            + " GREATEST(v.change_seq, i.tree_seq), v.device_id, v.committed_at, i.depth";
    static final String AS_OF_SNAPSHOT = " CROSS JOIN LATERAL (SELECT * FROM item_versions v"
            + " WHERE v.item_id = i.item_id AND v.change_seq <= ? ORDER BY v.version DESC LIMIT 1) v";
    /** Parameters of each part: workspace, S (twice; three times in the second), since (after a cursor), position, limit. */
    private static final String UNCHANGED = "(SELECT " + COLUMNS + " FROM items i WHERE i.workspace_id = ?"
            + " AND i.change_seq <= ? AND i.tree_seq <= ? AND %s AND (i.depth, i.item_id) > (?, ?)"
            + " ORDER BY i.depth, i.item_id LIMIT ?)";
    /**
     * The items changed after S are the few committed while the device pages: they are found
     * through items_by_change and sorted. The position is compared on {@code depth + 0} so that it
     * cannot serve as a condition on items_by_depth: PostgreSQL misjudges how many rows a row
     * comparison passes and would otherwise walk the workspace from the position in depth order,
     * every row of it, to find the none or few changed after S.
     */
    private static final String CHANGED_SINCE = "(SELECT " + VERSION_COLUMNS + " FROM items i" + AS_OF_SNAPSHOT
            + " WHERE i.workspace_id = ? AND i.change_seq > ? AND i.tree_seq <= ? AND %s"
            + " AND (i.depth + 0, i.item_id) > (?, ?) ORDER BY i.depth, i.item_id LIMIT ?)";
    /**
     * The best plan of each part depends on its parameters (how far back the cursor is, how much
     * changed since the snapshot), so the snapshot's transaction plans it for them, unlike the rest
     * of the service's queries (JdbcSyncStore's SNAPSHOT, DataSources, docs/design.md). Built once:
     * the driver hashes the text of every statement it prepares.
     */
    private static final String FROM_SCRATCH = listing("NOT i.deleted", "v.status <> 'DELETED'");
    private static final String AFTER_CURSOR = listing("i.change_seq > ?", "GREATEST(v.change_seq, i.tree_seq) > ?");

    private final Connection connection;
    private final UUID workspaceId;
    private final WorkspaceSequence sequence;
    private final JdbcSubtreeListing subtrees;

    JdbcListingSnapshot(Connection connection, UUID workspaceId, WorkspaceSequence sequence) {
        this.connection = connection;
        this.workspaceId = workspaceId;
        this.sequence = sequence;
        this.subtrees = new JdbcSubtreeListing(connection, workspaceId);
    }

    private static String listing(String unchangedFilter, String changedFilter) {
        return "SELECT * FROM (" + String.format(UNCHANGED, unchangedFilter) + " UNION ALL "
                + String.format(CHANGED_SINCE, changedFilter) + ") listed ORDER BY depth, item_id LIMIT ?";
    }

    @Override
    public WorkspaceSequence sequence() {
        return sequence;
    }

    @Override
    public List<ListedItem> items(long sinceSeq, long snapshotSeq, ListingPosition position, int limit) {
        try (PreparedStatement select = connection.prepareStatement(sinceSeq == FULL_LISTING ? FROM_SCRATCH : AFTER_CURSOR)) {
            int next = bindPart(select, 1, sinceSeq, snapshotSeq, position, limit);
            select.setLong(next, snapshotSeq);
            next = bindPart(select, next + 1, sinceSeq, snapshotSeq, position, limit);
            select.setInt(next, limit);
            List<ListedItem> items = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    items.add(new ListedItem(ItemRows.latest(rows), ItemRows.depth(rows)));
                }
            }
            return items;
        } catch (SQLException e) {
            throw Transactions.translate(e);
        }
    }

    /** Binds one part's parameters from {@code first} on (the second's lateral join is bound before it). */
    private int bindPart(PreparedStatement select, int first, long sinceSeq, long snapshotSeq,
                         ListingPosition position, int limit) throws SQLException {
        int i = first;
        select.setObject(i++, workspaceId);
        select.setLong(i++, snapshotSeq);
        select.setLong(i++, snapshotSeq);
        if (sinceSeq != FULL_LISTING) {
            select.setLong(i++, sinceSeq);
        }
        select.setInt(i++, position.depth());
        select.setLong(i++, position.itemId());
        select.setInt(i++, limit);
        return i;
    }

    @Override
    public List<ListedItem> items(ListingScope scope, long sinceSeq, long snapshotSeq, ListingPosition position,
                                  int limit) {
        try {
            return subtrees.items(scope, sinceSeq, snapshotSeq, position, limit);
        } catch (SQLException e) {
            throw Transactions.translate(e);
        }
    }

    @Override
    public Set<Long> folders(Collection<Long> itemIds) {
        try {
            return subtrees.folders(itemIds);
        } catch (SQLException e) {
            throw Transactions.translate(e);
        }
    }

    @Override
    public Map<Long, ItemLock> liveLocks(Collection<Long> itemIds) {
        try {
            return LockRows.liveOf(connection, workspaceId, itemIds);
        } catch (SQLException e) {
            throw Transactions.translate(e);
        }
    }
}
