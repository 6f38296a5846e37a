package org.syncservice.server.core;

/**
 * Told how much work each batch did together, for metrics: the service's cost per change falls as
 * its batches grow (docs/performance.md), so their sizes show how well an instance is batching
 * under its load. Called on the batch's thread once it is done; implementations must be fast and
 * thread-safe, and must not throw.
 */
public interface BatchObserver {

    /** Observes nothing. */
    BatchObserver NONE = new BatchObserver() {
        @Override
        public void commitGroupServed(int commits) {
        }

        @Override
        public void outboxPassPublished(int notifications) {
        }
    };

    /** A group of commits was served in one database transaction. */
    void commitGroupServed(int commits);

    /** An outbox pass published this many notifications (at least one). */
    void outboxPassPublished(int notifications);

    /**
     * In an outbox pass, this many rows failed on their own (refused by the broker, or impossible
     * to rebuild or encode; at least one), and of them {@code setAside} were set aside.
     */
    default void outboxRowsFailed(int failed, int setAside) {
    }
}
