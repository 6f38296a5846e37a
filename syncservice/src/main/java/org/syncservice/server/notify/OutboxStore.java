package org.syncservice.server.notify;

import java.time.Instant;
import java.util.List;

/**
 * The transactional outbox: rows written in the transaction of the change they announce.
 * Implementations are thread-safe; several publishers (in one process or many) may drain one
 * outbox at once and never hold the same row at the same time. Failures to reach storage are
 * {@link org.syncservice.server.core.ServiceException}s of kind UNAVAILABLE.
 */
public interface OutboxStore {

    /** Hands a claimed batch to the broker; returns only once the broker has taken every event. */
    @FunctionalInterface
    interface BatchPublisher {
        void publish(List<OutboxEvent> events) throws Exception;
    }

    /**
     * In one transaction: claims up to {@code batchSize} unpublished rows that no other transaction
     * holds (oldest first), rebuilds their events, calls {@code publisher}, marks the rows published
     * and commits. When the publisher throws, nothing is marked (the rows stay pending, their
     * attempt count goes up) and its exception is rethrown.
     *
     * @param maxItems commits with more versions than this are rebuilt without their items
     * @return how many rows were published; 0 when none were pending (or all were held by others)
     */
    int publishPending(int batchSize, int maxItems, BatchPublisher publisher) throws Exception;

    /** Deletes published rows published before {@code before}; returns how many. */
    int prunePublished(Instant before);

    /** Rows not yet published, for health reports and logs. */
    long pendingCount();
}
