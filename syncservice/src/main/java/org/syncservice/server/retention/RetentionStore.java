package org.syncservice.server.retention;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.syncservice.server.storage.StorageLocation;

/**
 * Where the purge and the chunk collector find and remove what has expired. Every purging call
 * is one short transaction that holds the workspace's row lock (the one commits take) only for
 * the moment it becomes visible, and skips a workspace (or storage location) another instance is
 * purging at that moment, so several instances may run the purge at once. Each call that purges rows raises the workspace's
 * {@code purged_up_to_seq} to at least every change sequence number at which a purged row was
 * deleted (tombstone) or superseded (old version), in the same transaction. Thread-safe.
 */
public interface RetentionStore {

    /**
     * What one batch purged; {@code full} when there may be more now: it reached the batch size,
     * or it gave way to a commit and purged nothing.
     */
    record Purged(int rows, int versions, boolean full) {
        public static final Purged NOTHING = new Purged(0, 0, false);
    }

    /**
     * Up to {@code limit} workspaces with ids above {@code after} (null: from the first), in id
     * order, that have tombstones deleted before {@code deletedBefore}.
     */
    List<UUID> workspacesWithExpiredTombstones(Instant deletedBefore, UUID after, int limit);

    /**
     * Purges up to {@code batchSize} tombstones of the workspace deleted before {@code deletedBefore},
     * with all their versions; a folder goes only once no item (tombstone or live) has it as
     * parent, so its children go in an earlier batch. Chunks of the purged versions become
     * candidates at {@code now}.
     *
     * @return rows: tombstones purged; versions: their versions
     */
    Purged purgeTombstones(UUID workspaceId, Instant deletedBefore, int batchSize, Instant now);

    /** Up to {@code limit} workspace ids above {@code after} (null: from the first), in id order. */
    List<UUID> workspaces(UUID after, int limit);

    /**
     * Purges the versions of the workspace superseded before {@code supersededBefore}, walking its
     * history in change-sequence order from where the previous walk stopped, about
     * {@code batchSize} changes at a time. The latest version of an item is never superseded, so
     * never purged. Chunks of the purged versions become candidates at {@code now}.
     */
    Purged purgeSupersededVersions(UUID workspaceId, Instant supersededBefore, int batchSize, Instant now);

    /** Deletes up to {@code batchSize} stored answers written before {@code createdBefore}. */
    int purgeStoredAnswers(Instant createdBefore, int batchSize);

    /** Up to {@code limit} storage locations with candidates unreferenced since before {@code before}. */
    List<StorageLocation> locationsWithDueChunks(Instant before, int limit);

    /** Decides, for candidates no kept version references, which go; may delete them in storage. */
    @FunctionalInterface
    interface ChunkRemover {
        Removal remove(StorageLocation location, List<String> unreferenced);
    }

    /**
     * What the remover did with the unreferenced candidates.
     *
     * @param gone removed from storage, or already absent: no longer candidates
     * @param fresh present and written too recently, with when: candidates again from then
     * @param removed how many of {@code gone} were removed (or, in a dry run, would be); the others were absent
     * @param bytes bytes removed (or, in a dry run, that would be)
     */
    record Removal(Set<String> gone, Map<String, Instant> fresh, int removed, long bytes) {
        public static final Removal NONE = new Removal(Set.of(), Map.of(), 0, 0);
    }

    /**
     * One batch of candidates of one location (those with chunk names above {@code afterChunk},
     * unreferenced since before {@code before}), in one transaction that holds the lock of every
     * workspace stored there: the references are checked under it and the remover runs under it,
     * so no commit can start referencing a chunk between the check and its removal. Candidates a
     * kept version references are dropped; the remover's answer is applied. In a dry run the
     * transaction is rolled back, so nothing changes. Empty when another instance is collecting
     * the location now.
     */
    Optional<ChunkBatch> collectChunks(StorageLocation location, Instant before, String afterChunk, int batchSize,
                                       boolean dryRun, ChunkRemover remover);

    /**
     * @param examined candidates looked at
     * @param referenced of which a kept version references
     * @param removal what the remover did with the others (empty when there were none)
     * @param lastChunk the greatest chunk name examined, where the next batch continues
     */
    record ChunkBatch(int examined, int referenced, Removal removal, String lastChunk) {
    }

    /** The candidates waiting for removal. */
    long chunkCandidates();
}
