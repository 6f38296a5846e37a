package org.syncservice.desktop.engine;

import java.time.Duration;
import java.util.function.Supplier;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.ErrorCode;

/**
 * Calls to the service retried while the answer says to retry (rate limits, a service that is
 * briefly away), with the same request where the caller passes one id: see the SDK's rules.
 */
public final class Retries {
    static final int ATTEMPTS = 6;
    private static final Duration FIRST_DELAY = Duration.ofMillis(200);
    private static final Duration MAX_DELAY = Duration.ofSeconds(10);

    private Retries() {
    }

    /**
     * Calls {@code call} until it succeeds, fails for good, or {@link #ATTEMPTS} tries failed.
     * {@code call} must be safe to repeat: a read, or a write under one request id. When an
     * attempt's outcome was unknown and the last one failed retryably, the failure thrown says the
     * outcome is unknown: the last attempt's UNAVAILABLE speaks of that attempt alone, and the
     * earlier one may have been applied (protocol.md §3.2).
     */
    public static <T> T call(Supplier<T> call) {
        Duration delay = FIRST_DELAY;
        boolean mayBeApplied = false;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SyncServiceException e) {
                mayBeApplied |= e.isOutcomeUnknown();
                if (!e.isRetryable()) {
                    throw e;
                }
                if (attempt >= ATTEMPTS) {
                    throw mayBeApplied && !e.isOutcomeUnknown() ? SyncServiceException.local(
                            ErrorCode.ERROR_CODE_UNAVAILABLE, "an earlier attempt's outcome is unknown and the last"
                                    + " attempt failed: " + e.getMessage(), e) : e;
                }
                Duration wait = e.retryAfter().filter(d -> !d.isZero()).orElse(delay);
                sleep(wait);
                delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE, "interrupted while waiting to retry", e);
        }
    }
}
