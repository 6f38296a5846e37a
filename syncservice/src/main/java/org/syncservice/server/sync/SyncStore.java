package org.syncservice.server.sync;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
     * Runs {@code work} in one transaction holding the locks of one or several workspaces, each
     * reached through its own view, and writes every view's applied plans before the transaction
     * commits: the one way changes are written, a single commit being a group of one. Holding a
     * workspace's lock, its changes are applied one commit at a time and its change sequence has no
     * gaps. The workspaces must be distinct. Locks are taken in one global order (workspaces by id, then
     * their owners by id), so transactions never wait for each other in a cycle.
     * The transaction rolls back when {@code work} throws.
     *
     * @param newItems how many item ids the work will likely ask for: they are reserved with the locks
     * @param wants what the views will look up ({@link WorkspaceBatch.Prefetch#index} is the access's
     *     position): read after the locks, in the same round trip; views the user may not see get none
     */
    <T> T inWorkspaces(List<WorkspaceBatch.Access> accesses, int newItems, List<WorkspaceBatch.Prefetch> wants,
                       Function<WorkspaceBatch, T> work);

    /**
     * Runs {@code work} on one consistent snapshot of the workspace: one read-only transaction at
     * REPEATABLE READ, so the sequence numbers it reads and every item it lists are of the same
     * moment, whatever commits meanwhile.
     *
     * @return empty when the user is not a member of the workspace (or it does not exist)
     */
    <T> Optional<T> inSnapshot(UUID workspaceId, UUID userId, Function<ListingSnapshot, T> work);

    /**
     * The workspace's sequence numbers now, read on their own (one short read, no snapshot).
     *
     * @return empty when the user is not a member of the workspace (or it does not exist)
     */
    Optional<WorkspaceSequence> sequence(UUID workspaceId, UUID userId);

    /** The {@code sinceSeq} of a listing from an empty cursor: the live items, no tombstones. */
    long FULL_LISTING = -1;

    /** One workspace as of one moment, for getChanges. Used by one thread, within {@link #inSnapshot}. */
    interface ListingSnapshot {

        /** The workspace's sequence numbers and the database's cursor epoch, at this moment. */
        WorkspaceSequence sequence();

        /**
         * The items of the listing from {@code sinceSeq} as of {@code snapshotSeq} (at most this
         * moment's latest sequence number), in (depth, item id) order after {@code position}, at most
         * {@code limit}. With {@code sinceSeq} {@link SyncStore#FULL_LISTING}, the items live at
         * {@code snapshotSeq}; else every item
         * (tombstones too) whose last change at {@code snapshotSeq} is above {@code sinceSeq}. Each in its
         * state at {@code snapshotSeq}; an item whose place in the tree (parent, or an ancestor's) changed
         * after {@code snapshotSeq} is left out: it changed after the snapshot, so the next listing has
         * it (docs/design.md, getChanges).
         */
        List<ListedItem> items(long sinceSeq, long snapshotSeq, ListingPosition position, int limit);

        /**
         * As {@link #items}, of the subtrees {@code scope} selects: each selected folder, everything
         * under it and every folder above it, as the tree is at {@code snapshotSeq}. After a cursor
         * ({@code sinceSeq} not {@link SyncStore#FULL_LISTING}) also every item outside them whose
         * place in the tree changed above {@code sinceSeq}, marked {@link ListedItem#outOfScope}
         * (it may have left a subtree), and every folder above a selected folder whose place changed
         * above {@code sinceSeq}, changed or not. Costs a walk of the subtrees from an empty
         * cursor and a walk up the tree from each item changed since the cursor after one
         * (docs/design.md, Folder-level sync), never a pass over the workspace.
         */
        List<ListedItem> items(ListingScope scope, long sinceSeq, long snapshotSeq, ListingPosition position,
                               int limit);

        /** Which of {@code itemIds} are folders of the workspace (tombstones of folders too). */
        Set<Long> folders(Collection<Long> itemIds);

        /** The live file locks of some items of the workspace, by item id, on the database's clock. */
        Map<Long, ItemLock> liveLocks(Collection<Long> itemIds);
    }

    /**
     * Versions of an item below {@code beforeVersion}, newest first, at most {@code limit};
     * empty when the item is not in a workspace the user may see.
     */
    Optional<List<ItemVersion>> versions(UUID workspaceId, UUID userId, long itemId, long beforeVersion, int limit);

    /** Records that a device applied the workspace's changes up to {@code changeSeq}; false when it may not see it. */
    boolean acknowledge(UUID workspaceId, UUID userId, UUID deviceId, long changeSeq);

    /**
     * A workspace's latest change sequence number, the one at or below which tombstones and
     * superseded versions may be gone, and the epoch of the database's history cursors carry.
     */
    record WorkspaceSequence(long latestChangeSeq, long purgedUpToSeq, long cursorEpoch) {
    }

    /**
     * An item's state in a listing with its depth (0 in the root), the first key of listings.
     *
     * @param outOfScope outside the listing's subtrees, listed so that a device that has it drops it
     */
    record ListedItem(ItemVersion item, int depth, boolean outOfScope) {
        public ListedItem(ItemVersion item, int depth) {
            this(item, depth, false);
        }
    }

    /** A place in a (depth, item id) ordered listing; {@link #START} is before the first item. */
    record ListingPosition(int depth, long itemId) {
        public static final ListingPosition START = new ListingPosition(-1, 0);
    }
}
