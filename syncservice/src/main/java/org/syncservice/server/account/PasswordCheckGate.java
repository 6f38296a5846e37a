package org.syncservice.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.syncservice.server.core.ServiceException;

/**
 * The gate every password check of this instance passes: failures are throttled per account with
 * growing delays, and only a few checks run at once, so that a flood of wrong passwords costs the
 * service a bounded share of its CPU instead of all of it.
 *
 * <p>Per account (the normalised email at login, the user at change_password): the first
 * {@code freeFailures} failures cost nothing more; after that, each attempt must wait until a
 * delay has passed since the last failure, 1 s doubling up to {@code maxDelay}. Attempts made
 * sooner are refused with RESOURCE_EXHAUSTED and the time to wait, before any hashing. A success
 * forgets the account's failures. Unknown emails are throttled alike, so an answer tells no
 * account from none.
 *
 * <p>At once: at most {@code concurrentChecks} hashes run; one more waits at most {@link
 * #QUEUE_WAIT} (two logins at the same moment both pass) and is then refused (RESOURCE_EXHAUSTED,
 * retry in a second) rather than queued for longer, so a flood never ties up the threads that
 * serve other requests for more than that.
 *
 * <p>The state is this instance's: with several instances an account's failures are counted by
 * each that served some (docs/design.md). Thread-safe.
 */
public final class PasswordCheckGate {
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration BUSY_RETRY = Duration.ofSeconds(1);
    static final Duration QUEUE_WAIT = Duration.ofMillis(200);
    private static final int MAX_TRACKED_ACCOUNTS = 100_000;

    private record Failures(int count, Instant notBefore) {
    }

    private final int freeFailures;
    private final Duration maxDelay;
    private final Semaphore checks;
    private final Clock clock;
    private final Cache<String, Failures> failures;

    /**
     * @param freeFailures failures of an account before delays start
     * @param maxDelay the longest delay between two attempts of an account
     * @param concurrentChecks password hashes allowed to run at once
     */
    public PasswordCheckGate(int freeFailures, Duration maxDelay, int concurrentChecks, Clock clock) {
        if (freeFailures < 0 || concurrentChecks < 1 || maxDelay.compareTo(FIRST_DELAY) < 0) {
            throw new IllegalArgumentException("freeFailures >= 0, concurrentChecks >= 1, maxDelay >= 1s");
        }
        this.freeFailures = freeFailures;
        this.maxDelay = maxDelay;
        this.checks = new Semaphore(concurrentChecks);
        this.clock = clock;
        // An account's failures are forgotten once it has been left alone for twice the longest delay.
        this.failures = Caffeine.newBuilder()
                .expireAfterWrite(maxDelay.multipliedBy(2))
                .maximumSize(MAX_TRACKED_ACCOUNTS)
                .build();
    }

    /**
     * Runs {@code check} for the account unless it is throttled or too many checks are running,
     * and records whether it succeeded.
     *
     * @param account the key failures are counted under
     * @param check the password verification; true when the password matched
     * @return what {@code check} returned
     * @throws ServiceException RATE_LIMITED (RESOURCE_EXHAUSTED on the wire) with the time to wait
     */
    public boolean check(String account, BooleanSupplier check) {
        Failures before = failures.getIfPresent(account);
        Instant now = clock.instant();
        if (before != null && now.isBefore(before.notBefore())) {
            Duration wait = Duration.between(now, before.notBefore());
            throw ServiceException.rateLimited("too many failed password attempts for this account; retry in "
                    + Math.max(1, (wait.toMillis() + 999) / 1000) + " s", wait);
        }
        if (!acquire()) {
            throw ServiceException.rateLimited("the service is busy checking passwords; retry in a second",
                    BUSY_RETRY);
        }
        boolean matched;
        try {
            matched = check.getAsBoolean();
        } finally {
            checks.release();
        }
        if (matched) {
            failures.invalidate(account);
        } else {
            failures.asMap().compute(account, (key, old) -> failed(old == null ? 0 : old.count()));
        }
        return matched;
    }

    private boolean acquire() {
        try {
            return checks.tryAcquire(QUEUE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Failures failed(int earlier) {
        int count = earlier + 1;
        Instant now = clock.instant();
        if (count <= freeFailures) {
            return new Failures(count, now);
        }
        int doublings = Math.min(count - freeFailures - 1, 30);
        Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
        return new Failures(count, now.plus(delay.compareTo(maxDelay) > 0 ? maxDelay : delay));
    }
}
