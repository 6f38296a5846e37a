package org.syncservice.server.status;

/**
 * What operators and monitoring ask of the metadata database: is it there, which schema it has,
 * how much is in it and how many notifications wait to be published. Implementations are
 * thread-safe; failures to reach the database are
 * {@link org.syncservice.server.core.ServiceException}s of kind UNAVAILABLE.
 */
public interface StatusStore {

    /** True when a trivial query succeeds now. Never throws. */
    boolean isReachable();

    /** The highest schema version applied. */
    int schemaVersion();

    /** Outbox rows not yet published and not set aside: notifications waiting for the broker. */
    long outboxBacklog();

    /** Outbox rows set aside after failing too often: notifications waiting for replay-outbox. */
    long outboxSetAside();

    ServiceCounts counts();
}
