package org.syncservice.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Exponential back-off per workspace: from {@link #FIRST} doubling up to a ceiling, or the wait the
 * service asked for when that is longer. A workspace has an entry from its first failure until it
 * {@link #succeeded}, which is exactly while a retry of it is scheduled. Not thread-safe: used on
 * the listener's dispatch thread only.
 */
final class RetryBackoff {
    static final Duration FIRST = Duration.ofMillis(500);

    private final Duration ceiling;
    private final Map<String, Duration> delays = new HashMap<>();

    RetryBackoff(Duration ceiling) {
        this.ceiling = ceiling;
    }

    /** The wait before the next attempt for the workspace, longer after each failure. */
    Duration next(String workspaceId, Optional<Duration> retryAfter) {
        Duration delay = delays.merge(workspaceId, FIRST,
                (old, first) -> old.multipliedBy(2).compareTo(ceiling) > 0 ? ceiling : old.multipliedBy(2));
        return retryAfter.filter(asked -> asked.compareTo(delay) > 0).orElse(delay);
    }

    /** Whether a retry of the workspace is pending. */
    boolean waiting(String workspaceId) {
        return delays.containsKey(workspaceId);
    }

    void succeeded(String workspaceId) {
        delays.remove(workspaceId);
    }
}
