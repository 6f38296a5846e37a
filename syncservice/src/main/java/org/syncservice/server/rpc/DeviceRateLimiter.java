package org.syncservice.server.rpc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.syncservice.server.core.ServiceException;

/**
 * Limits how many requests one device may make per second ({@code limits.requests-per-second-per-device}):
 * a token bucket per device holding one second's worth of requests, refilled continuously. A
 * device over its limit is answered RESOURCE_EXHAUSTED with the time until its next token.
 *
 * <p>Buckets live in a bounded cache and are dropped once their device has been idle for
 * {@link #IDLE_EXPIRY}: an idle bucket refills within a second, so forgetting it later changes
 * nothing. If more than {@link #MAX_DEVICES} devices are active at once, the least recently seen
 * lose their bucket and start again with a full one: memory stays bounded at the price of a
 * looser limit for those devices. The limit is per instance: N instances on one queue let a device
 * make up to N times the rate, since the broker spreads its requests over them.
 *
 * <p>Requests without an authenticated device (login, get_server_info) are not limited here.
 * Thread-safe.
 */
public final class DeviceRateLimiter {
    static final Duration IDLE_EXPIRY = Duration.ofMinutes(1);
    static final long MAX_DEVICES = 100_000;

    private final int requestsPerSecond;
    private final Cache<UUID, Bucket> buckets;

    private DeviceRateLimiter(int requestsPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
        this.buckets = requestsPerSecond == 0 ? null : Caffeine.newBuilder()
                .maximumSize(MAX_DEVICES)
                .expireAfterAccess(IDLE_EXPIRY)
                .build();
    }

    /** A limiter that lets every request through. */
    public static DeviceRateLimiter unlimited() {
        return new DeviceRateLimiter(0);
    }

    /** @param requestsPerSecond the steady rate and the burst allowed per device; 0 for no limit */
    public static DeviceRateLimiter perSecond(int requestsPerSecond) {
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException("requestsPerSecond must be >= 0, was " + requestsPerSecond);
        }
        return new DeviceRateLimiter(requestsPerSecond);
    }

    /** Takes one request's token for the device, or throws RATE_LIMITED with when to retry. */
    void acquire(UUID deviceId) {
        if (buckets == null) {
            return;
        }
        Bucket bucket = buckets.get(deviceId, id -> newBucket());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(probe.getNanosToWaitForRefill() + 999_999));
            throw ServiceException.rateLimited("this device sends more than " + requestsPerSecond
                    + " requests per second (max_requests_per_second_per_device); retry after " + waitMs + " ms",
                    Duration.ofMillis(waitMs));
        }
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(requestsPerSecond)
                        .refillGreedy(requestsPerSecond, Duration.ofSeconds(1)).build())
                .build();
    }
}
