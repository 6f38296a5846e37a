package org.syncservice.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.syncservice.server.core.ServiceException;

/**
 * The gate every password check passes: failures are throttled per account with growing delays,
 * counted in {@link LoginFailures}, which every instance shares (N instances allow no more
 * attempts than one); and only a few checks run at once on this instance, so that a flood of
 * wrong passwords costs the service a bounded share of its CPU instead of all of it.
 *
 * <p>Per account (the normalised email at login, the user at change_password): see {@link
 * LoginFailures} for the delays. Attempts made sooner are refused with RESOURCE_EXHAUSTED and the
 * time to wait, before any hashing. A success forgets the account's failures. Unknown emails are
 * throttled alike, so an answer tells no account from none. A refusal is remembered here until its
 * time has passed, so an account's further attempts in the meantime cost no database statement.
 *
 * <p>At once: at most {@code concurrentChecks} hashes run; one more waits at most {@link
 * #QUEUE_WAIT} (two logins at the same moment both pass) and is then refused (RESOURCE_EXHAUSTED,
 * retry in a second) rather than queued for longer, so a flood never ties up the threads that
 * serve other requests for more than that. The permit is taken before the account is looked up, so
 * a busy instance counts nothing and asks the database nothing. Thread-safe.
 */
public final class PasswordCheckGate {
    static final Duration BUSY_RETRY = Duration.ofSeconds(1);
    static final Duration QUEUE_WAIT = Duration.ofMillis(200);
    static final Duration FORGET_EVERY = Duration.ofMinutes(1);
    private static final int MAX_REMEMBERED_REFUSALS = 100_000;

    private final LoginFailures failures;
    private final Duration forgetAfter;
    private final Semaphore checks;
    private final Clock clock;
    /** Accounts refused until the instant; the shared count says the same, this spares asking it. */
    private final Cache<String, Instant> refusedUntil;
    private final AtomicLong nextForgetMs = new AtomicLong();

    /**
     * @param maxDelay the longest delay between two attempts of an account (what {@code failures} applies)
     * @param concurrentChecks password hashes allowed to run at once
     */
    public PasswordCheckGate(LoginFailures failures, Duration maxDelay, int concurrentChecks, Clock clock) {
        if (concurrentChecks < 1 || maxDelay.compareTo(LoginFailures.FIRST_DELAY) < 0) {
            throw new IllegalArgumentException("concurrentChecks >= 1, maxDelay >= 1s");
        }
        this.failures = failures;
        this.forgetAfter = LoginFailures.forgetAfter(maxDelay);
        this.checks = new Semaphore(concurrentChecks);
        this.clock = clock;
        this.refusedUntil = Caffeine.newBuilder()
                .expireAfterWrite(maxDelay)
                .maximumSize(MAX_REMEMBERED_REFUSALS)
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
        Instant now = clock.instant();
        Instant known = refusedUntil.getIfPresent(account);
        if (known != null && now.isBefore(known)) {
            throw throttled(now, known);
        }
        if (!acquire()) {
            throw ServiceException.rateLimited("the service is busy checking passwords; retry in a second",
                    BUSY_RETRY);
        }
        boolean matched;
        try {
            LoginFailures.Claim claim = failures.claim(account, now);
            if (claim instanceof LoginFailures.Claim.Refused refused) {
                refusedUntil.put(account, refused.notBefore());
                throw throttled(now, refused.notBefore());
            }
            LoginFailures.Claim.Allowed allowed = (LoginFailures.Claim.Allowed) claim;
            try {
                matched = check.getAsBoolean();
            } catch (RuntimeException e) {
                uncount(account, allowed, e);
                throw e;
            }
            // Recorded before the permit goes, so the attempts not yet counted are never more than
            // the checks that run at once.
            if (matched) {
                failures.succeeded(account);
            } else {
                failures.failed(account, allowed, now);
            }
        } finally {
            checks.release();
        }
        forgetQuietAccountsIfDue(now);
        return matched;
    }

    private static ServiceException throttled(Instant now, Instant notBefore) {
        Duration wait = Duration.between(now, notBefore);
        return ServiceException.rateLimited("too many failed password attempts for this account; retry in "
                + Math.max(1, (wait.toMillis() + 999) / 1000) + " s", wait);
    }

    /** The check failed to run (the database away, say): that is no wrong password. */
    private void uncount(String account, LoginFailures.Claim.Allowed claim, RuntimeException cause) {
        try {
            failures.notChecked(account, claim);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void forgetQuietAccountsIfDue(Instant now) {
        long due = nextForgetMs.get();
        if (now.toEpochMilli() >= due && nextForgetMs.compareAndSet(due, now.plus(FORGET_EVERY).toEpochMilli())) {
            failures.forgetQuietSince(now.minus(forgetAfter));
        }
    }

    private boolean acquire() {
        try {
            return checks.tryAcquire(QUEUE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
