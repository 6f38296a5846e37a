package org.syncservice.server.sync;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Several workspaces locked in one database transaction, so that the commits of several requests
 * share one transaction, one WAL flush and a few statements. Each requested workspace has its own
 * {@link WorkspaceTransaction} view; the reads every view needs are made for all of them at once,
 * in the round trip that takes the locks ({@link SyncStore#inWorkspaces}),
 * and each view's {@link WorkspaceTransaction#apply} is written together with the others' when the
 * batch's work returns. Used by one thread, for the length of {@link SyncStore#inWorkspaces}.
 */
public interface WorkspaceBatch {

    /** The view of the {@code index}-th requested workspace; empty when its user may not see it. */
    Optional<WorkspaceTransaction> workspace(int index);

    /**
     * Which of the accesses' requests have a stored answer, read with the locks. A stored answer
     * missed there, written meanwhile by a concurrent retry of the same request, meets this
     * transaction's own on the primary key, and the transaction rolls back.
     */
    Set<RequestKey> recordedRequests();

    /** Reserves ids for new items of any of the views. */
    long[] allocateItemIds(int count);

    /**
     * One request's access to a workspace: its user must be a member.
     *
     * @param request the request's idempotency key: whether it has a stored answer is read with the locks
     */
    record Access(UUID workspaceId, UUID userId, RequestKey request) {
    }

    /** A request's idempotency key. */
    record RequestKey(UUID deviceId, String requestId) {
    }

    /**
     * What the {@code index}-th view will look up: items with their ancestors, and the live
     * holders of (folder, name key) places. Later lookups of these need no round trip.
     *
     * @param itemIds items to load with their ancestors
     * @param parentIds with {@code nameKeys}: the places whose live holders to load
     */
    record Prefetch(int index, Collection<Long> itemIds, List<Long> parentIds, List<String> nameKeys) {
    }
}
