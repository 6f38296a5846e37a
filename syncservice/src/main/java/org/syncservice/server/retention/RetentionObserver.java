package org.syncservice.server.retention;

/**
 * Told what the purge and the chunk collector did, for metrics. Implementations are thread-safe
 * and cheap: they are called once per batch.
 */
public interface RetentionObserver {
    RetentionObserver NONE = new RetentionObserver() {
    };

    /** Tombstones purged (with their versions, counted here too). */
    default void tombstonesPurged(int tombstones, int versions) {
    }

    /** Superseded versions of kept items purged. */
    default void versionsPurged(int versions) {
    }

    default void storedAnswersPurged(int answers) {
    }

    default void chunksRemoved(int chunks, long bytes) {
    }

    /** How many chunks wait to be checked for removal, after a collection pass. */
    default void candidatesWaiting(long candidates) {
    }
}
