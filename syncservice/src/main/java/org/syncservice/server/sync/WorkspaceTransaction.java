package org.syncservice.server.sync;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.core.MemberRole;

/**
 * Reads and writes of one workspace inside one transaction that holds the workspace's lock.
 * Used by one thread, for the length of {@link SyncStore#inWorkspaces}; what the
 * transaction was asked to prefetch ({@link WorkspaceBatch.Prefetch}) needs no round trip, anything
 * else is looked up when asked for.
 */
public interface WorkspaceTransaction {

    /** The locked workspace's state at the start of the transaction. */
    LockedWorkspace workspace();

    /** The stored answer of an earlier request with this id from this device, if any. */
    Optional<RecordedRequest> recordedRequest(UUID deviceId, String requestId);

    /** The latest state of an item of this workspace (tombstones included). */
    Optional<ItemVersion> item(long itemId);

    /** One stored version of an item of this workspace. */
    Optional<ItemVersion> version(long itemId, long version);

    /** The live item that holds a name key in a folder (0: the root), as stored before this transaction's writes. */
    Optional<ItemVersion> liveChild(long parentId, String nameKey);

    /**
     * The workspace's file locks that count at {@code nowMs}, by item id, as the transaction finds
     * them holding the workspace's lock: no lock can be taken or ended until it is done.
     */
    Map<Long, ItemLock> liveLocks(long nowMs);

    /** Writes everything a commit decided, in one go. */
    void apply(CommitPlan plan);

    /**
     * The locked workspace.
     *
     * @param quotaUsedBytes the owner's usage, locked too: quota is checked and charged in this transaction
     * @param role the user's role, read holding the lock: a role change waits for this transaction
     */
    record LockedWorkspace(UUID workspaceId, UUID ownerId, long latestChangeSeq, long quotaUsedBytes,
                           long quotaLimitBytes, MemberRole role) {
    }

    /** The stored answer of a request: its body's hash, and its results with the versions they showed. */
    record RecordedRequest(String operation, byte[] requestHash, long changeSeq, List<ItemResult> results) {
    }
}
