package org.syncservice.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.syncservice.server.retention.RetentionObserver;

/**
 * Counts what retention let go as {@code syncservice_retention_tombstones_purged_total},
 * {@code ..._versions_purged_total} (superseded versions and the versions of purged tombstones),
 * {@code ..._stored_answers_purged_total}, {@code ..._chunks_removed_total} and
 * {@code ..._chunk_bytes_removed_total}, and shows {@code syncservice_retention_chunk_candidates}
 * (chunks waiting to be checked for removal; NaN until the first collection pass). Counts are
 * this instance's; sum them over instances. Thread-safe.
 */
final class MicrometerRetentionObserver implements RetentionObserver {
    private final Counter tombstones;
    private final Counter versions;
    private final Counter storedAnswers;
    private final Counter chunks;
    private final Counter chunkBytes;
    private final AtomicLong candidates = new AtomicLong(-1);

    MicrometerRetentionObserver(MeterRegistry registry) {
        tombstones = counter(registry, "syncservice.retention.tombstones.purged", "Deleted items purged");
        versions = counter(registry, "syncservice.retention.versions.purged", "Item versions purged");
        storedAnswers = counter(registry, "syncservice.retention.stored.answers.purged",
                "Stored answers (request log rows) purged after the idempotency window");
        chunks = counter(registry, "syncservice.retention.chunks.removed", "Unreferenced chunks removed from storage");
        chunkBytes = counter(registry, "syncservice.retention.chunk.bytes.removed",
                "Bytes of the unreferenced chunks removed from storage");
        Gauge.builder("syncservice.retention.chunk.candidates", candidates,
                        value -> value.get() < 0 ? Double.NaN : value.get())
                .description("Chunks unreferenced by purged rows, waiting to be checked for removal")
                .register(registry);
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    @Override
    public void tombstonesPurged(int tombstones, int versions) {
        this.tombstones.increment(tombstones);
        this.versions.increment(versions);
    }

    @Override
    public void versionsPurged(int versions) {
        this.versions.increment(versions);
    }

    @Override
    public void storedAnswersPurged(int answers) {
        storedAnswers.increment(answers);
    }

    @Override
    public void chunksRemoved(int chunks, long bytes) {
        this.chunks.increment(chunks);
        chunkBytes.increment(bytes);
    }

    @Override
    public void candidatesWaiting(long candidates) {
        this.candidates.set(candidates);
    }
}
