package org.syncservice.server.sync;

import java.util.Objects;

/** A lock that a commit or an unlock ends, as it was, and how it ended. Immutable. */
public record EndedLock(ItemLock lock, LockEnd end) {

    public EndedLock {
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(end, "end");
    }
}
