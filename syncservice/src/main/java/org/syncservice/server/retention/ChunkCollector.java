package org.syncservice.server.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.syncservice.server.retention.RetentionStore.ChunkBatch;
import org.syncservice.server.retention.RetentionStore.Removal;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.storage.StoredChunk;

/**
 * Removes from storage the chunks that purged versions and tombstones referenced, once nothing
 * kept references them. A candidate goes only when all of these hold, checked in the transaction
 * that holds the lock of every workspace of its storage location (so no commit can start
 * referencing it meanwhile): it has been a candidate for {@code retention.chunk-grace}; no kept
 * version of the location references it; and its object was last written longer than the grace
 * ago, so a chunk that a client has just uploaded again for a commit it has not sent yet stays.
 * A fresh one is looked at again a grace after it was written. Not thread-safe (one pass at a
 * time per instance); collectors of several instances skip each other's locations.
 */
public final class ChunkCollector {
    static final int LOCATIONS_PER_STEP = 100;
    /**
     * Most candidates per batch, whatever retention.batch-size says: a batch holds the location's
     * workspace locks while storage answers about one request per candidate, and commits to those
     * workspaces wait meanwhile.
     */
    static final int MAX_CHUNKS_PER_BATCH = 100;

    private final RetentionStore store;
    private final ChunkStorage storage;
    private final Duration grace;
    private final int batchSize;
    private final Duration pause;
    private final Clock clock;
    private final RetentionObserver observer;

    public ChunkCollector(RetentionStore store, ChunkStorage storage, Duration grace, int batchSize, Duration pause,
                          Clock clock, RetentionObserver observer) {
        this.store = store;
        this.storage = storage;
        this.grace = grace;
        this.batchSize = Math.min(batchSize, MAX_CHUNKS_PER_BATCH);
        this.pause = pause;
        this.clock = clock;
        this.observer = observer;
    }

    /** Told of every chunk removed (or, in a dry run, that would be). */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (location, chunk) -> { };

        void removed(StorageLocation location, StoredChunk chunk);
    }

    /** What a pass did: candidates examined, of which still referenced, removed, and bytes removed. */
    public record Totals(long examined, long referenced, long removed, long bytes) {
    }

    /**
     * One pass over the candidates due now.
     *
     * @param dryRun only list what would go: nothing is deleted, in storage or in the database
     */
    public Totals run(boolean dryRun, Listener listener, Pause pause) {
        Instant now = clock.instant();
        Instant dueBefore = now.minus(grace);
        long examined = 0;
        long referenced = 0;
        long removed = 0;
        long bytes = 0;
        pass:
        for (StorageLocation location : store.locationsWithDueChunks(dueBefore, LOCATIONS_PER_STEP)) {
            String after = "";
            while (true) {
                Optional<ChunkBatch> batch = store.collectChunks(location, dueBefore, after, batchSize, dryRun,
                        (where, unreferenced) -> remove(where, unreferenced, now.minus(grace), dryRun, listener));
                if (batch.isEmpty() || batch.get().examined() == 0) {
                    break;
                }
                ChunkBatch done = batch.get();
                examined += done.examined();
                referenced += done.referenced();
                removed += done.removal().removed();
                bytes += done.removal().bytes();
                if (!dryRun) {
                    observer.chunksRemoved(done.removal().removed(), done.removal().bytes());
                }
                after = done.lastChunk();
                if (!pause.await(this.pause)) {
                    break pass;
                }
                if (done.examined() < batchSize) {
                    break;
                }
            }
        }
        if (!dryRun) {
            observer.candidatesWaiting(store.chunkCandidates());
        }
        return new Totals(examined, referenced, removed, bytes);
    }

    /** How many candidates wait (due or not). */
    public long candidatesWaiting() {
        return store.chunkCandidates();
    }

    private Removal remove(StorageLocation location, List<String> unreferenced, Instant writtenBefore, boolean dryRun,
                           Listener listener) {
        Map<String, StoredChunk> stored = storage.storedChunks(location, unreferenced);
        Set<String> gone = new LinkedHashSet<>();
        Map<String, Instant> fresh = new HashMap<>();
        List<String> doomed = new ArrayList<>();
        long bytes = 0;
        for (String chunk : unreferenced) {
            StoredChunk found = stored.get(chunk);
            if (found == null) {
                gone.add(chunk);
            } else if (found.writtenAt().isBefore(writtenBefore)) {
                doomed.add(chunk);
                gone.add(chunk);
                bytes += found.sizeBytes();
                listener.removed(location, found);
            } else {
                fresh.put(chunk, found.writtenAt());
            }
        }
        if (!dryRun && !doomed.isEmpty()) {
            storage.deleteChunks(location, doomed);
        }
        return new Removal(gone, fresh, doomed.size(), bytes);
    }
}
