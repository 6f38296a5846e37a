package org.syncservice.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.server.testing.CommitCuttingProxy;
import org.syncservice.server.testing.CommitItems;
import org.syncservice.server.testing.CommitLoad;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.StoredChanges;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * Clients commit under load while a proxy between the service's pool and PostgreSQL cuts
 * connections at random points (seeded): before or after a COMMIT, or at any other message, one
 * connection or all of them, each followed by up to 1.2 s in which no new connection is taken (one
 * in ten by 3.5 s: longer than the service looks for the outcome, so some answers say it is unknown).
 * A client trusts the answers as protocol.md §3.2 says it may: after an UNAVAILABLE that does not
 * say the outcome is unknown, it gives the request up (as stored nothing); after one that does,
 * or a timeout, it retries with the same request id, and goes on retrying until an answer (a
 * plain UNAVAILABLE then speaks only of the retry, not of the attempt whose outcome was unknown). Checked in PostgreSQL afterwards: no request
 * given up is stored, and every answered commit is stored exactly once (with the checks of
 * {@link StoredChanges}).
 *
 * <p>The seed is printed; {@code -Dsyncservice.faults.seed=N} replays its cuts (the decisions
 * are the seed's; the threads' timing is the machine's). {@code -Dsyncservice.faults.seconds=N}
 * runs longer (default 12): {@code ./mvnw -B -pl syncservice -am test -Dtest=RandomCommitCutsTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsyncservice.faults.seconds=600}.
 */
class RandomCommitCutsTest {
    private static final int CLIENTS = 4;
    private static final Duration RETRY_FOR = Duration.ofSeconds(60);

    @Test
    void everyUnavailableThatSaysStoredNothingStoredNothingAndEveryAnsweredCommitIsStoredOnce() throws Exception {
        long seed = Long.getLong("syncservice.faults.seed", System.nanoTime());
        int seconds = Integer.getInteger("syncservice.faults.seconds", 12);
        System.out.printf("RandomCommitCutsTest: seed %d (replay with -Dsyncservice.faults.seed=%d)%n", seed, seed);
        try (CommitCuttingProxy proxy = CommitCuttingProxy.toTestPostgres();
             RunningService service = RunningService.startWithDatabaseUrl(Map.of("db.connect-timeout", "1s",
                     "amqp.consumers", "2"), proxy::url);
             SyncFixture fixture = new SyncFixture(service)) {
            SyncDevice first = fixture.newUser("Load");
            List<SyncClient> clients = new ArrayList<>(List.of(first.client()));
            for (int i = 1; i < CLIENTS; i++) {
                clients.add(fixture.anotherDevice(first, "device-" + i).client());
            }
            Load load = new Load(first.workspace(), clients);
            proxy.cutAtRandom(seed, 0.06, 0.0005, Duration.ofMillis(1_200), Duration.ofMillis(3_500));
            TimeUnit.SECONDS.sleep(seconds);
            proxy.stopCutting();
            load.stop();
            String summary = String.format("seed %d: %d commits answered, %d given up after UNAVAILABLE,"
                            + " %d outcome-unknown answers retried, %d other retries, %d cuts%n  %s", seed,
                    load.answers.size(), load.givenUp.size(), load.unknownOutcomes.get(), load.otherRetries.get(),
                    proxy.cuts(), String.join("\n  ", proxy.cutLog().subList(0, Math.min(12, proxy.cuts()))));
            System.out.println("RandomCommitCutsTest: " + summary);
            try {
                assertThat(load.failure.get()).as("a client failed").isNull();
                assertThat(proxy.cuts()).as("the proxy cut connections").isPositive();
                for (String requestId : load.givenUp) {
                    assertThat(count(service, "SELECT count(*) FROM request_log WHERE request_id = ?", requestId))
                            .as("request %s was answered UNAVAILABLE (stored nothing) but is stored", requestId)
                            .isZero();
                    assertThat(count(service, "SELECT count(*) FROM item_versions WHERE request_id = ?", requestId))
                            .as("versions of request %s, answered UNAVAILABLE", requestId).isZero();
                }
                StoredChanges stored = new StoredChanges(service.database().dataSource(), first.workspace());
                stored.awaitOutboxPublished(Duration.ofSeconds(60));
                stored.assertMatches(load.answers.values(), load.sent.keySet());
            } catch (AssertionError e) {
                throw new AssertionError("RandomCommitCutsTest failed with " + summary + "\n  because: " + e.getMessage(), e);
            }
        }
    }

    /** The clients' commits: each a new file of its own name, under a request id of its own. */
    private static final class Load {
        final Map<String, CommitLoad.Answer> answers = new ConcurrentHashMap<>();
        final Map<String, Boolean> sent = new ConcurrentHashMap<>();
        final Set<String> givenUp = ConcurrentHashMap.newKeySet();
        final AtomicInteger unknownOutcomes = new AtomicInteger();
        final AtomicInteger otherRetries = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final String workspaceId;
        private final List<Thread> workers = new ArrayList<>();
        private volatile boolean stopping;

        Load(String workspaceId, List<SyncClient> clients) {
            this.workspaceId = workspaceId;
            for (int w = 0; w < clients.size(); w++) {
                SyncClient client = clients.get(w);
                int worker = w;
                Thread thread = new Thread(() -> run(client, worker), "cut-load-" + w);
                thread.setDaemon(true);
                workers.add(thread);
                thread.start();
            }
        }

        private void run(SyncClient client, int worker) {
            try {
                for (int i = 0; !stopping; i++) {
                    commitOne(client, "w" + worker + "-" + i + ".txt", 1 + (i * 37L + worker) % 1000);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }

        private void commitOne(SyncClient client, String name, long size) throws InterruptedException {
            String requestId = SyncClient.newRequestId();
            sent.put(requestId, true);
            CommitItem item = CommitItem.newBuilder().setTempId("t").setVersion(1)
                    .setStatus(ItemStatus.ITEM_STATUS_NEW).setName(name).setMimeType("text/plain").setSize(size)
                    .setChecksum(CommitItems.checksum(name))
                    .addChunks("c_" + UUID.randomUUID().toString().replace("-", "")).build();
            CommitRequest request = CommitRequest.newBuilder().setWorkspaceId(workspaceId).addItems(item).build();
            long deadline = System.nanoTime() + RETRY_FOR.toNanos();
            boolean mayBeApplied = false;
            while (true) {
                try {
                    CommitResponse response = client.commit(request, requestId);
                    CommitItemResult result = response.getResults(0);
                    if (result.getOutcome() != CommitOutcome.COMMIT_OUTCOME_COMMITTED) {
                        throw new AssertionError("commit " + requestId + " of " + name + " answered " + result);
                    }
                    answers.put(requestId, new CommitLoad.Answer(requestId, name, size, response.getChangeSeq(),
                            result.getCurrent().getItemId()));
                    return;
                } catch (SyncServiceException e) {
                    // A plain UNAVAILABLE says this attempt stored nothing; after an earlier attempt
                    // whose outcome was unknown, only the retry's answer can say (protocol.md §3.2).
                    if (e.code() == ErrorCode.ERROR_CODE_UNAVAILABLE && !e.isOutcomeUnknown() && !mayBeApplied) {
                        givenUp.add(requestId); // trusted: it stored nothing
                        return;
                    }
                    if (!e.isRetryable() || System.nanoTime() > deadline) {
                        throw e;
                    }
                    mayBeApplied |= e.isOutcomeUnknown();
                    (e.isOutcomeUnknown() && !e.isLocal() ? unknownOutcomes : otherRetries).incrementAndGet();
                    TimeUnit.MILLISECONDS.sleep(e.retryAfter().map(Duration::toMillis).orElse(200L));
                }
            }
        }

        void stop() throws InterruptedException {
            stopping = true;
            for (Thread worker : workers) {
                worker.join(RETRY_FOR.toMillis() + 10_000);
            }
        }
    }

    private static long count(RunningService service, String sql, String requestId) throws SQLException {
        try (Connection connection = service.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, requestId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
