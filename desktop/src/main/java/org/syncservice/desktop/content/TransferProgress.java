package org.syncservice.desktop.content;

/**
 * Hears how far one upload or download has come, for a progress line. Over a transfer that
 * succeeds, the bytes reported to both methods add up to the file's size. Called from transfer
 * threads, often: an implementation must be quick and thread-safe.
 */
@FunctionalInterface
public interface TransferProgress {

    TransferProgress NONE = bytes -> { };

    /** {@code bytes} more went over the network (for a rate). */
    void transferred(long bytes);

    /** {@code bytes} more needed no transfer: the storage already held their chunk. */
    default void skipped(long bytes) {
    }
}
