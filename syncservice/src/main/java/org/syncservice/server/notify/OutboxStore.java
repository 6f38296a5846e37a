package org.syncservice.server.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The transactional outbox: rows written in the transaction of the change they announce.
 * Implementations are thread-safe; several publishers (in one process or many) may drain one
 * outbox at once and never hold the same row's lease at the same time. Failures to reach storage are
 * {@link org.syncservice.server.core.ServiceException}s of kind UNAVAILABLE.
 */
public interface OutboxStore {

    /**
     * Hands a claimed batch to the broker; returns once the broker has answered for every event,
     * with the events it refused (every other one was confirmed). Throws when nothing can be said
     * of single events (the broker is away or does not answer): then nothing is marked.
     */
    @FunctionalInterface
    interface BatchPublisher {
        List<Refusal> publish(List<OutboxEvent> events) throws Exception;
    }

    /** One row that failed on its own: refused by the broker, or impossible to build or encode. */
    record Refusal(long outboxId, String reason) {
        public Refusal {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** What a pass did: rows marked published, rows that failed on their own, and of those the rows set aside. */
    record Pass(int published, int refused, int setAside) {
        public static final Pass EMPTY = new Pass(0, 0, 0);

        /** Rows the pass claimed. */
        public int claimed() {
            return published + refused;
        }
    }

    /**
     * One pass, in short transactions, none of them open while {@code publisher} runs: leases up to
     * {@code batchSize} unpublished rows that are not set aside and that no other publisher holds a
     * lease on (oldest first) for {@code lease}, and rebuilds their events; calls {@code publisher};
     * then marks the confirmed rows published, counts an attempt against each row that failed on
     * its own (refused, or impossible to rebuild) and sets aside those that have failed
     * {@code maxAttempts} times. A row is marked only once the broker confirmed it. When the
     * publisher throws, nothing is marked or counted, the lease is given back (the rows stay
     * pending) and its exception is rethrown. A publisher that never comes back (its process died)
     * leaves its rows leased until {@code lease} has passed; then another pass takes them.
     *
     * @param maxItems commits with more versions than this are rebuilt without their items
     * @param lease longer than a pass takes: a pass that outlives it may see its rows published
     *     again by another publisher (harmless, at least once, but a waste)
     */
    Pass publishPending(int batchSize, int maxItems, int maxAttempts, Duration lease, BatchPublisher publisher)
            throws Exception;

    /** Deletes published rows published before {@code before}; returns how many. */
    int prunePublished(Instant before);

    /** Rows not yet published and not set aside, for health reports and logs. */
    long pendingCount();

    /** Rows set aside and not replayed yet. */
    long setAsideCount();

    /**
     * Puts set-aside rows back in line with a fresh attempt count: the row {@code outboxId}, or
     * every set-aside row when empty. Returns how many.
     */
    int replaySetAside(OptionalLong outboxId);
}
