package org.syncservice.server.sync;

import java.util.List;
import java.util.UUID;

/**
 * Everything one commit writes, decided before anything is written. Immutable.
 *
 * @param changeSeq the sequence number the commit takes, or 0 when it stores no change
 * @param writes new item states, in the order they were decided
 * @param deletedFolders folders deleted by this commit, whose live descendants get tombstones
 * @param movedFolders folders whose parent changed, whose descendants' depths follow
 * @param quotaDeltaBytes the change of the owner's usage, folder deletions aside (measured when applied)
 * @param requestHash the request body's hash, kept with the answer to spot a reused request id
 * @param endedLocks the committing device's file locks the commit ends (a deletion, release_locks)
 */
public record CommitPlan(
        long changeSeq,
        UUID deviceId,
        String requestId,
        String operation,
        byte[] requestHash,
        List<PlannedWrite> writes,
        List<Long> deletedFolders,
        List<Long> movedFolders,
        long quotaDeltaBytes,
        List<ItemResult> results,
        List<EndedLock> endedLocks) {

    public CommitPlan {
        writes = List.copyOf(writes);
        deletedFolders = List.copyOf(deletedFolders);
        movedFolders = List.copyOf(movedFolders);
        results = List.copyOf(results);
        endedLocks = List.copyOf(endedLocks);
    }

    /** A new state of one item: an insert for a new item, else an update. */
    public record PlannedWrite(ItemVersion state, int depth, boolean insert) {
    }
}
