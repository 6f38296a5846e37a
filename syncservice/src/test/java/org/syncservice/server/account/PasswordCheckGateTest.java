package org.syncservice.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.syncservice.server.core.ServiceException;

class PasswordCheckGateTest {
    private final MutableClock clock = new MutableClock();
    private final PasswordCheckGate gate = new PasswordCheckGate(3, Duration.ofSeconds(10), 1, clock);
    private final AtomicInteger hashes = new AtomicInteger();

    private boolean attempt(String account, boolean right) {
        return gate.check(account, () -> {
            hashes.incrementAndGet();
            return right;
        });
    }

    private static Duration refusedFor(Runnable attempt) {
        try {
            attempt.run();
        } catch (ServiceException e) {
            assertThat(e.kind()).isEqualTo(ServiceException.Kind.RATE_LIMITED);
            return e.retryAfter();
        }
        throw new AssertionError("expected the attempt to be refused");
    }

    @Test
    void afterTheFreeFailuresEachAttemptWaitsADelayThatDoublesUpToTheMostAndCostsNoHashWhileRefused() {
        for (int i = 0; i < 3; i++) {
            assertThat(attempt("ann", false)).isFalse();
        }
        assertThat(attempt("ann", false)).as("the fourth failure is still checked").isFalse();
        assertThat(refusedFor(() -> attempt("ann", true))).isEqualTo(Duration.ofSeconds(1));
        assertThat(hashes).as("a refused attempt hashes nothing").hasValue(4);

        clock.advance(Duration.ofSeconds(1));
        assertThat(attempt("ann", false)).isFalse();
        assertThat(refusedFor(() -> attempt("ann", false))).isEqualTo(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        attempt("ann", false);
        assertThat(refusedFor(() -> attempt("ann", false))).isEqualTo(Duration.ofSeconds(4));
        clock.advance(Duration.ofSeconds(4));
        attempt("ann", false);
        assertThat(refusedFor(() -> attempt("ann", false))).isEqualTo(Duration.ofSeconds(8));
        clock.advance(Duration.ofSeconds(8));
        attempt("ann", false);
        assertThat(refusedFor(() -> attempt("ann", false))).as("capped").isEqualTo(Duration.ofSeconds(10));

        assertThat(attempt("bob", true)).as("another account is not held up").isTrue();
    }

    @Test
    void aSuccessForgetsTheFailures() {
        for (int i = 0; i < 4; i++) {
            attempt("cy", false);
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(attempt("cy", true)).isTrue();
        for (int i = 0; i < 4; i++) {
            assertThat(attempt("cy", false)).as("free failures again").isFalse();
        }
    }

    @Test
    void aCheckBeyondTheConcurrentLimitIsRefusedAfterAShortWaitInsteadOfQueued() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> slow = CompletableFuture.supplyAsync(() -> gate.check("dee", () -> {
            running.countDown();
            try {
                return release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        long started = System.nanoTime();
        assertThat(refusedFor(() -> attempt("eve", true))).isEqualTo(PasswordCheckGate.BUSY_RETRY);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(attempt("eve", true)).as("free again").isTrue();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-03T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
