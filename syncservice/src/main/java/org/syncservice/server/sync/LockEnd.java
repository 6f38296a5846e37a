package org.syncservice.server.sync;

/** How a lock ended before its expiry (an expiry itself ends nothing: the lock stops counting). */
public enum LockEnd {
    /** Its holder unlocked it. */
    UNLOCKED,
    /** The workspace's owner broke another device's lock. */
    BROKEN,
    /** The holder's commit released it (release_locks). */
    RELEASED,
    /** The holder's commit deleted the file, or a folder above it. */
    DELETED
}
