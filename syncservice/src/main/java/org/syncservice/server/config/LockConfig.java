package org.syncservice.server.config;

import java.time.Duration;

/**
 * How long file locks last (keys {@code locks.*}): a lock_item without a duration gets
 * {@code defaultDuration}; none lasts longer than {@code maxDuration} from its last renewal.
 * Immutable.
 */
public record LockConfig(Duration defaultDuration, Duration maxDuration) {
}
