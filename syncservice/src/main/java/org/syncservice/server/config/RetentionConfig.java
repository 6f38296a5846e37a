package org.syncservice.server.config;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long what the service stores is kept (keys {@code retention.*}); a zero duration keeps it
 * for ever. Immutable.
 */
public record RetentionConfig(
        Duration deletedItems,
        Duration oldVersions,
        Duration idempotencyWindow,
        Duration chunkGrace,
        int batchSize,
        Duration pause,
        Duration interval) {

    /** Tombstones deleted before this are purged; empty when they are kept for ever. */
    public Optional<Instant> deletedItemsBefore(Instant now) {
        return before(now, deletedItems);
    }

    /** Versions superseded before this are purged; empty when every version is kept. */
    public Optional<Instant> oldVersionsBefore(Instant now) {
        return before(now, oldVersions);
    }

    /** Stored answers written before this are purged; empty when they are kept for ever. */
    public Optional<Instant> storedAnswersBefore(Instant now) {
        return before(now, idempotencyWindow);
    }

    private static Optional<Instant> before(Instant now, Duration kept) {
        return kept.isZero() ? Optional.empty() : Optional.of(now.minus(kept));
    }
}
