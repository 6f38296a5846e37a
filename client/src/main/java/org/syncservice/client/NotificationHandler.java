package org.syncservice.client;

import java.util.List;
import java.util.Optional;
import org.syncservice.protocol.v1.DeviceRevoked;
import org.syncservice.protocol.v1.ItemLockEvent;
import org.syncservice.protocol.v1.WorkspaceEvent;

/**
 * What the application does with notifications, called by a {@link NotificationListener}.
 *
 * <p>Thread-safety: every method is called from the listener's single dispatch thread, one call at
 * a time, so an implementation needs no locking of its own against other calls of the listener.
 * Calls for one workspace come in change sequence order. A method that throws is called again
 * later with the same changes (the listener does not advance past them). The methods other than
 * {@link #onChanges} only inform: what they throw is logged and does not change what the listener
 * does.
 */
public interface NotificationHandler {

    /** Applies changes of a tracked workspace. Each change sequence number is handed over once. */
    void onChanges(WorkspaceChanges changes);

    /**
     * A workspace was shared with, unshared from or renamed for this user, or its members changed.
     * To follow a newly shared workspace, call {@link NotificationListener#track}.
     */
    default void onWorkspaceEvent(WorkspaceEvent event) {
    }

    /**
     * A file of a workspace this device can see was locked (or the lock renewed) or unlocked
     * (lock_item, unlock_item; the owner's break and the holder's release or delete end locks
     * too). Locks are not changes: nothing is handed to {@link #onChanges} for them. Expiries send
     * nothing: a lock past its {@code expires_at_ms} no longer counts.
     */
    default void onItemLock(ItemLockEvent event) {
    }

    /** This device was unregistered or revoked: its token no longer works and the listener stopped. */
    default void onDeviceRevoked(DeviceRevoked revoked) {
    }

    /**
     * The listener lists the workspace again from scratch: the {@link #onChanges} calls that follow,
     * up to {@link #onFullListingFinished}, hand over every live item (also ones handed over
     * before). Start reconciling: after the listing, a local item it did not report live is gone
     * ({@link FullListingReason#CURSOR_EXPIRED}, {@link FullListingReason#DIGEST_MISMATCH}), or, after
     * {@link FullListingReason#HISTORY_REWOUND}, lost by the service: keep it and push it again.
     */
    default void onFullListingStarted(String workspaceId, FullListingReason reason) {
    }

    /**
     * The full listing begun by {@link #onFullListingStarted} is complete up to {@code changeSeq}:
     * remove the local items it did not report live.
     */
    default void onFullListingFinished(String workspaceId, long changeSeq) {
    }

    /**
     * The listener stopped tracking the workspace and makes no more calls for it; its position is
     * forgotten. Call {@link NotificationListener#track} to follow it again.
     */
    default void onTrackingStopped(String workspaceId, TrackingStop stop) {
    }

    /**
     * The application's copy of a workspace, for the listener to check against the service's
     * digest after catching up ({@link WorkspaceDigest#of}); empty (the default) skips the check.
     * Called on the dispatch thread right after the workspace's changes were handed over, so the
     * copy must include everything {@link #onChanges} was given.
     */
    default Optional<WorkspaceDigest> localDigest(String workspaceId) {
        return Optional.empty();
    }

    /**
     * Folder-level sync (protocol.md 7.9): the folders, by item id, whose subtrees the application
     * keeps of the workspace; empty (the default) keeps the whole workspace. The listener lists
     * only them ({@code subtree_ids}), hands over items that left them flagged
     * {@code out_of_scope}, and fetches a commit only when it touched a folder
     * {@link #holdsFolder held}; such a listing may hand over again an item at a version already
     * seen (one that came back with a folder moved in). The answer must stay the same while the
     * workspace is tracked: a cursor is bound to its selection, so a new selection starts from
     * {@link SyncPosition#START}.
     */
    default List<Long> subtreeIds(String workspaceId) {
        return List.of();
    }

    /**
     * Folder-level sync: whether the application holds the folder {@code folderId} of the workspace
     * (a selected folder, one under or above one), so that a commit touching it may concern its
     * copy. The root (0) is always held. Asked only when {@link #subtreeIds} is not empty.
     */
    default boolean holdsFolder(String workspaceId, long folderId) {
        return true;
    }
}
