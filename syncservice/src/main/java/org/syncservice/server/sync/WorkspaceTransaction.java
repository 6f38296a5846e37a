package org.syncservice.server.sync;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads and writes of one workspace inside one transaction that holds the workspace's lock.
 * Used by one thread, for the length of {@link SyncStore#inWorkspace}.
 */
public interface WorkspaceTransaction {

    /** The locked workspace's state at the start of the transaction. */
    LockedWorkspace workspace();

    /** The stored answer of an earlier request with this id from this device, if any. */
    Optional<RecordedRequest> recordedRequest(UUID deviceId, String requestId);

    /** Loads these items and all their ancestors in one go, so that later lookups need no round trip. */
    void prefetch(Collection<Long> itemIds);

    /** The latest state of an item of this workspace (tombstones included). */
    Optional<ItemVersion> item(long itemId);

    /** One stored version of an item of this workspace. */
    Optional<ItemVersion> version(long itemId, long version);

    /** The live item that holds a name key in a folder (0: the root), as stored before this transaction's writes. */
    Optional<ItemVersion> liveChild(long parentId, String nameKey);

    /**
     * Looks up in one go which live items hold these (folder, name key) places, so that later
     * {@link #liveChild} calls for them need no round trip.
     */
    void prefetchLiveChildren(List<Long> parentIds, List<String> nameKeys);

    /** Reserves ids for new items. */
    long[] allocateItemIds(int count);

    /** Writes everything a commit decided, in one go. */
    void apply(CommitPlan plan);

    /**
     * The locked workspace.
     *
     * @param quotaUsedBytes the owner's usage, locked too: quota is checked and charged in this transaction
     */
    record LockedWorkspace(UUID workspaceId, UUID ownerId, long latestChangeSeq, long quotaUsedBytes,
                           long quotaLimitBytes) {
    }

    /** The stored answer of a request: its body's hash, and its results with the versions they showed. */
    record RecordedRequest(String operation, byte[] requestHash, long changeSeq, List<ItemResult> results) {
    }
}
