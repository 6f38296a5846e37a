package org.syncservice.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.server.testing.CommitLoad;
import org.syncservice.server.testing.PostgresStandby;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.StoredChanges;

/**
 * The standby promoted under a stream of commits, the service reaching both servers through one
 * multi-host URL ({@code targetServerType=primary}) and never restarted: it finds the new primary
 * by itself. Stopped cleanly, or killed with a synchronous standby, the primary loses nothing;
 * killed with an asynchronous standby, it loses the commits it had answered but not yet sent,
 * which the last test counts (docs/scaling.md, "Primary and standby").
 */
@Tag("scale-out")
class PostgresFailoverTest {
    private static final int CLIENTS = 4;
    private static final Duration RETRY_FOR = Duration.ofSeconds(90);
    private static final int ASYNC_RUNS = Integer.getInteger("syncservice.faults.asyncFailoverRuns", 3);

    @Test
    void promotingTheStandbyAfterStoppingThePrimaryLosesNothingAndTheServiceReconnectsByItself() throws Exception {
        try (Failover failover = Failover.start(false)) {
            failover.load.awaitMoreAnswers(50, RETRY_FOR);
            failover.outage.watch();
            failover.pair.primary().stop();
            failover.pair.standby().promote();
            failover.assertNothingLostAfter("a clean stop");
        }
    }

    @Test
    void withASynchronousStandbyNoAnsweredCommitIsLostWhenThePrimaryIsKilled() throws Exception {
        try (Failover failover = Failover.start(true)) {
            failover.load.awaitMoreAnswers(50, RETRY_FOR);
            failover.outage.watch();
            failover.pair.primary().kill();
            failover.pair.standby().promote();
            failover.assertNothingLostAfter("a kill with a synchronous standby");
        }
    }

    /**
     * Measures, not a guarantee: the answered commits missing on the new primary, and the change
     * sequence numbers the new primary hands out a second time (to other commits) as a result.
     */
    @Test
    void withAnAsynchronousStandbyAKilledPrimaryLosesOnlyCommitsItHadNotSentYet() throws Exception {
        int lostInAll = 0;
        int answeredInAll = 0;
        for (int run = 1; run <= ASYNC_RUNS; run++) {
            try (Failover failover = Failover.start(false)) {
                failover.load.awaitMoreAnswers(50, RETRY_FOR);
                failover.pair.primary().kill();
                failover.pair.awaitReceivedReplayed(Duration.ofSeconds(30));
                long received = failover.stored().latestChangeSeq();
                failover.pair.standby().promote();
                failover.load.awaitMoreAnswers(50, RETRY_FOR);
                failover.load.close();
                Collection<CommitLoad.Answer> answers = failover.load.answers().values();
                Set<String> stored = failover.stored().committedRequestIds();
                List<CommitLoad.Answer> lost = answers.stream().filter(a -> !stored.contains(a.requestId())).toList();
                // Lost can only be the tail the standby never received: nothing it had is missing.
                assertThat(lost).as("answered commits missing on the new primary, which had received up to %d",
                        received).allMatch(answer -> answer.changeSeq() > received);
                long doubled = answers.stream().collect(Collectors.groupingBy(CommitLoad.Answer::changeSeq,
                        Collectors.counting())).values().stream().filter(count -> count > 1).count();
                System.out.printf("PostgresFailoverTest async run %d: %d commits answered, %d lost (the standby had"
                        + " received up to change_seq %d), %d change_seq answered twice, retries %d, failures %s%n",
                        run, answers.size(), lost.size(), received, doubled, failover.load.retries(),
                        failover.load.failures());
                lostInAll += lost.size();
                answeredInAll += answers.size();
            }
        }
        System.out.printf("PostgresFailoverTest async: %d answered commits lost in %d kills (%d answered)%n",
                lostInAll, ASYNC_RUNS, answeredInAll);
    }

    /** A primary, its standby, the service on both through one URL, and clients committing. */
    private static final class Failover implements AutoCloseable {
        private final PostgresStandby pair;
        private final RunningService service;
        private final List<SyncClient> clients;
        private final String workspace;
        private final CommitLoad load;
        private final Outage outage;

        private Failover(PostgresStandby pair, RunningService service, List<SyncClient> clients, String workspace) {
            this.pair = pair;
            this.service = service;
            this.clients = clients;
            this.workspace = workspace;
            this.load = new CommitLoad(workspace, clients, RETRY_FOR);
            this.outage = new Outage(load);
        }

        static Failover start(boolean synchronous) throws Exception {
            assumeTrue(PostgresStandby.available(), "root and the PostgreSQL 15 binaries are needed for a standby");
            PostgresStandby pair = PostgresStandby.create(synchronous);
            RunningService service = null;
            List<SyncClient> clients = new ArrayList<>();
            try {
                service = RunningService.start(Map.of("db.url", pair.failoverUrl(), "db.user", pair.user(),
                        "db.connect-timeout", "2s"));
                String email = "failover-" + System.nanoTime() + "@example.org";
                var user = service.service().components().accounts().createUser(email, "Failover", "pw-failover",
                        1L << 40);
                SyncClientOptions options = SyncClientOptions.builder().host(service.clientOptions().host())
                        .port(service.clientOptions().port()).requestQueue(service.clientOptions().requestQueue())
                        .callTimeout(Duration.ofSeconds(5)).build();
                for (int i = 0; i < CLIENTS; i++) {
                    SyncClient client = SyncClient.connect(options);
                    clients.add(client);
                    client.login(LoginRequest.newBuilder().setEmail(email).setPassword("pw-failover")
                            .setDeviceName("device-" + i).setOs("linux").setAppVersion("1").build());
                }
                return new Failover(pair, service, clients, user.defaultWorkspaceId().toString());
            } catch (Exception | Error e) {
                clients.forEach(SyncClient::close);
                if (service != null) {
                    service.close();
                }
                pair.close();
                throw e;
            }
        }

        StoredChanges stored() {
            return new StoredChanges(pair.standby().dataSource(), workspace);
        }

        void assertNothingLostAfter(String fault) throws Exception {
            load.awaitMoreAnswers(100, RETRY_FOR);
            long outageMillis = outage.longestMillis();
            load.close();
            assertThat(pair.standby().inRecovery()).as("the standby was promoted").isFalse();
            StoredChanges stored = stored();
            stored.awaitOutboxPublished(Duration.ofSeconds(60));
            int commits = stored.assertMatches(load.answers().values(), load.sent());
            System.out.printf("PostgresFailoverTest after %s: %d commits answered and stored, nothing lost or"
                            + " doubled; longest time without an answer %d ms; retries %d, failures seen %s%n",
                    fault, commits, outageMillis, load.retries(), load.failures());
            assertThat(service.service().isHealthy()).isTrue();
        }

        @Override
        public void close() throws Exception {
            try {
                outage.close();
                load.close();
            } finally {
                try {
                    clients.forEach(SyncClient::close);
                    service.close();
                } finally {
                    pair.close();
                }
            }
        }
    }

    /** The longest time without a new answer, from {@link #watch()} on: the outage as the clients saw it. */
    private static final class Outage implements AutoCloseable {
        private final CommitLoad load;
        private final AtomicBoolean watching = new AtomicBoolean();
        private final AtomicLong longestNanos = new AtomicLong();
        private Thread sampler;

        Outage(CommitLoad load) {
            this.load = load;
        }

        void watch() {
            watching.set(true);
            sampler = new Thread(() -> {
                int answered = load.answers().size();
                long since = System.nanoTime();
                while (watching.get()) {
                    int now = load.answers().size();
                    if (now != answered) {
                        answered = now;
                        since = System.nanoTime();
                    }
                    long quiet = System.nanoTime() - since;
                    longestNanos.accumulateAndGet(quiet, Math::max);
                    try {
                        TimeUnit.MILLISECONDS.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "outage-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        long longestMillis() {
            return TimeUnit.NANOSECONDS.toMillis(longestNanos.get());
        }

        @Override
        public void close() throws InterruptedException {
            watching.set(false);
            if (sampler != null) {
                sampler.join(1000);
            }
        }
    }
}
