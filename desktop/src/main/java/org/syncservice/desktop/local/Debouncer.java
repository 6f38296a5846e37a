package org.syncservice.desktop.local;

import java.util.HashSet;
import java.util.Set;

/**
 * Gathers changed paths until the folder has been quiet long enough, or the oldest change has waited
 * long enough. Pure: time is passed in (nanoseconds from {@link System#nanoTime}). Not thread-safe;
 * the watcher's thread alone uses it.
 */
final class Debouncer {

    private final long quietNanos;
    private final long maxDelayNanos;
    private final int maxPaths;

    private Set<String> paths = new HashSet<>();
    private boolean overflow;
    private boolean pending;
    private long firstAt;
    private long lastAt;

    /**
     * @param maxPaths past this many distinct paths the batch turns into an overflow: the engine
     *     scans everything anyway, and memory stays bounded during a huge copy
     */
    Debouncer(long quietNanos, long maxDelayNanos, int maxPaths) {
        this.quietNanos = quietNanos;
        this.maxDelayNanos = maxDelayNanos;
        this.maxPaths = maxPaths;
    }

    void changed(String path, long now) {
        touch(now);
        if (!overflow) {
            paths.add(path);
            if (paths.size() > maxPaths) {
                overflow = true;
                paths = new HashSet<>();
            }
        }
    }

    void overflowed(long now) {
        touch(now);
        overflow = true;
        paths = new HashSet<>();
    }

    boolean pending() {
        return pending;
    }

    /** Nanoseconds until the batch is due; zero or less when it is due now. Only while pending. */
    long nanosUntilDue(long now) {
        long quietEnds = lastAt + quietNanos;
        long delayEnds = firstAt + maxDelayNanos;
        long dueAt = quietEnds - delayEnds < 0 ? quietEnds : delayEnds;
        return dueAt - now;
    }

    /** The batch gathered so far; the debouncer starts afresh. */
    Batch drain() {
        var batch = new Batch(Set.copyOf(paths), overflow);
        paths = new HashSet<>();
        overflow = false;
        pending = false;
        return batch;
    }

    private void touch(long now) {
        if (!pending) {
            pending = true;
            firstAt = now;
        }
        lastAt = now;
    }

    /** What one report carries. */
    record Batch(Set<String> paths, boolean overflow) {
    }
}
