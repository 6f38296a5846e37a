package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The views of several locked workspaces on one connection, filled with the reads made for all of
 * them with the locks ({@link PrefetchReads}). Not thread-safe: one batch, one thread.
 */
final class JdbcWorkspaceBatch implements WorkspaceBatch {
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

    /**
     * Hands the reads made with the locks to the views, as if each view had looked them up itself:
     * the items found and the ones not found, then the places, empty unless a live holder was read,
     * and the workspaces' lock rows. Rows of workspaces without a view (the user may not see them)
     * are dropped.
     */
    void prefetched(PrefetchReads reads) {
        for (Optional<JdbcWorkspaceTransaction> view : views) {
            view.ifPresent(v -> v.lockRows(reads.locks().stream()
                    .filter(lock -> lock.workspaceId().equals(v.workspace().workspaceId())).toList()));
        }
        for (ItemVersion item : reads.items()) {
            JdbcWorkspaceTransaction view = byWorkspace.get(item.workspaceId());
            if (view != null) {
                view.found(item);
            }
        }
        for (Prefetch want : reads.wants()) {
            views.get(want.index()).ifPresent(view -> {
                view.notFound(want.itemIds());
                for (int i = 0; i < want.parentIds().size(); i++) {
                    view.place(want.parentIds().get(i), want.nameKeys().get(i), 0L);
                }
            });
        }
        for (ItemVersion holder : reads.holders()) {
            JdbcWorkspaceTransaction view = byWorkspace.get(holder.workspaceId());
            if (view != null) {
                view.found(holder);
                view.place(holder.parentId(), ItemNames.key(holder.name()), holder.itemId());
            }
        }
    }

    @Override
    public long[] allocateItemIds(int count) {
        int reserved = Math.min(count, reservedIds.length - nextReserved);
        long[] ids = new long[count];
        System.arraycopy(reservedIds, nextReserved, ids, 0, reserved);
        nextReserved += reserved;
        if (reserved < count) {
            long[] more = moreItemIds(count - reserved);
            System.arraycopy(more, 0, ids, reserved, more.length);
        }
        return ids;
    }

    /** Ids beyond those reserved with the locks: a round trip of their own. */
    private long[] moreItemIds(int count) {
        long[] ids = new long[count];
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
}
