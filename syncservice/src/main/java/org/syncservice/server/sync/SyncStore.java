package org.syncservice.server.sync;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Where the items of workspaces are kept. Every method is scoped to a workspace the given user is
 * a member of: a workspace the user may not see is reported exactly like one that does not
 * exist (empty), so callers cannot tell the two apart. Implementations are thread-safe; a
 * transient failure of the underlying database is a
 * {@link org.syncservice.server.core.ServiceException} of kind UNAVAILABLE.
 */
public interface SyncStore {

    /**
     * Runs {@code work} in one transaction holding the workspace's lock, so that the changes of a
     * workspace are applied one commit at a time and its change sequence has no gaps. The
     * transaction commits when {@code work} returns, and rolls back when it throws.
     *
     * @return empty when the user is not a member of the workspace (or it does not exist)
     */
    <T> Optional<T> inWorkspace(UUID workspaceId, UUID userId, Function<WorkspaceTransaction, T> work);

    /**
     * Runs {@code work} in one transaction holding the locks of several workspaces, each reached
     * through its own view, and writes every view's applied plans before the transaction commits.
     * The workspaces must be distinct. Locks are taken in one global order (workspaces by id, then
     * their owners by id), so batches and single commits never wait for each other in a cycle.
     * The transaction rolls back when {@code work} throws.
     *
     * @param newItems how many item ids the work will likely ask for: they are reserved with the locks
     * @param wants what the views will look up ({@link WorkspaceBatch.Prefetch#index} is the access's
     *     position): read after the locks, in the same round trip; views the user may not see get none
     */
    <T> T inWorkspaces(List<WorkspaceBatch.Access> accesses, int newItems, List<WorkspaceBatch.Prefetch> wants,
                       Function<WorkspaceBatch, T> work);

    /** The workspace's sequence numbers, for listings; empty when the user may not see it. */
    Optional<WorkspaceSequence> sequence(UUID workspaceId, UUID userId);

    /**
     * Items of the workspace in (depth, item id) order after {@code position}, at most
     * {@code limit}: with {@code sinceSeq} 0 the live items, else every item (tombstones too)
     * whose latest change is above {@code sinceSeq}. Empty when the user may not see the workspace.
     */
    List<ListedItem> changedItems(UUID workspaceId, UUID userId, long sinceSeq, ListingPosition position, int limit);

    /**
     * Versions of an item below {@code beforeVersion}, newest first, at most {@code limit};
     * empty when the item is not in a workspace the user may see.
     */
    Optional<List<ItemVersion>> versions(UUID workspaceId, UUID userId, long itemId, long beforeVersion, int limit);

    /** Records that a device applied the workspace's changes up to {@code changeSeq}; false when it may not see it. */
    boolean acknowledge(UUID workspaceId, UUID userId, UUID deviceId, long changeSeq);

    /** A workspace's latest change sequence number and the one at or below which tombstones may be gone. */
    record WorkspaceSequence(long latestChangeSeq, long purgedUpToSeq) {
    }

    /** An item's latest state with its depth (0 in the root), the first key of listings. */
    record ListedItem(ItemVersion item, int depth) {
    }

    /** A place in a (depth, item id) ordered listing; {@link #START} is before the first item. */
    record ListingPosition(int depth, long itemId) {
        public static final ListingPosition START = new ListingPosition(-1, 0);
    }
}
