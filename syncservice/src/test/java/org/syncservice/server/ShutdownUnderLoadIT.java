package org.syncservice.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.server.storage.s3.TestS3Server;
import org.syncservice.server.testing.TestBroker;
import org.syncservice.server.testing.TestDatabase;

/**
 * SIGTERM while clients commit: the service, run as its own process from {@code target/syncservice.jar},
 * stops cleanly, and a new process on the same database and queue takes over without losing or
 * duplicating anything. An integration test (failsafe, after {@code package}), since it needs the jar.
 */
class ShutdownUnderLoadIT {
    private static final int CLIENTS = 4;
    private static final int COMMITS_PER_CLIENT = 60;
    private static final String EMAIL = "load@example.org";
    private static final String PASSWORD = "load-password";
    private static final Duration RETRY_FOR = Duration.ofSeconds(120);

    private final Path jar = Path.of(System.getProperty("syncservice.jar", "../target/syncservice.jar"));

    /** What one client was told about one of its commits. */
    private record Answered(String deviceId, String requestId, String name, long changeSeq) {
    }

    @Test
    @Timeout(300)
    void sigtermDuringLoadStopsCleanlyAndANewInstanceLosesNothing(@TempDir Path dir) throws Exception {
        assertThat(jar).as("the service jar (built by package)").exists();
        try (TestDatabase database = TestDatabase.create();
             TestBroker broker = TestBroker.create();
             TestS3Server s3 = TestS3Server.start()) {
            Path config = dir.resolve("config.properties");
            Files.writeString(config, String.join("\n",
                    "db.url=" + database.url(),
                    "db.user=" + TestDatabase.user(),
                    "amqp.host=" + TestBroker.host(),
                    "amqp.port=" + TestBroker.port(),
                    "amqp.request-queue=" + broker.requestQueue(),
                    "amqp.notification-exchange=" + broker.notificationExchange(),
                    "auth.password-hash-iterations=10000",
                    "auth.min-password-length=1",
                    "storage.backend=s3",
                    "storage.s3.endpoint=" + s3.endpoint(),
                    "storage.s3.bucket=chunks-" + UUID.randomUUID(),
                    "storage.s3.access-key=" + TestS3Server.ACCESS_KEY,
                    "storage.s3.secret-key=" + TestS3Server.SECRET_KEY,
                    ""), StandardCharsets.UTF_8);
            addUser(config, dir.resolve("add-user.log"));

            ServiceProcess first = ServiceProcess.start(jar, config, dir.resolve("first.log"));
            ServiceProcess second = null;
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                first.awaitLine("ready", Duration.ofSeconds(60));
                SyncClientOptions options = SyncClientOptions.builder()
                        .host(TestBroker.host()).port(TestBroker.port())
                        .requestQueue(broker.requestQueue())
                        .callTimeout(Duration.ofSeconds(3))
                        .build();
                AtomicInteger answered = new AtomicInteger();
                List<Future<List<Answered>>> runs = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    runs.add(clients.submit(() -> commitFiles(options, client, answered)));
                }

                while (answered.get() < CLIENTS * COMMITS_PER_CLIENT / 3) {
                    Thread.sleep(10);
                }
                long signalled = System.nanoTime();
                first.process.destroy();
                assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
                Duration stopping = Duration.ofNanos(System.nanoTime() - signalled);
                int exitCode = first.process.exitValue();
                String firstLog = first.log();
                assertThat(answered.get()).as("SIGTERM came mid-load").isLessThan(CLIENTS * COMMITS_PER_CLIENT);
                assertThat(firstLog).contains("shutting down", "syncservice stopped")
                        .doesNotContain("still in progress", "ERROR");
                assertThat(exitCode).as("exit code after SIGTERM; log:\n" + firstLog).isZero();
                assertThat(stopping).isLessThan(Duration.ofSeconds(10));

                second = ServiceProcess.start(jar, config, dir.resolve("second.log"));
                second.awaitLine("ready", Duration.ofSeconds(60));

                List<Answered> all = new ArrayList<>();
                for (Future<List<Answered>> run : runs) {
                    all.addAll(run.get(RETRY_FOR.toSeconds() + 30, TimeUnit.SECONDS));
                }
                assertThat(all).hasSize(CLIENTS * COMMITS_PER_CLIENT);
                assertStoredExactlyOnce(database.dataSource(), all);
                awaitOutboxPublished(database.dataSource());
            } finally {
                clients.shutdownNow();
                first.stop();
                if (second != null) {
                    second.stop();
                    assertThat(second.process.exitValue()).isZero();
                }
            }
        }
    }

    private void addUser(Path config, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(java(), "-jar", jar.toString(), "--config", config.toString(),
                "add-user", "--email", EMAIL, "--name", "Load", "--quota", "10G")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SYNCSERVICE_PASSWORD", PASSWORD);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(log)).isZero();
    }

    /** One device committing new files one after the other, each retried with its request id as a client must. */
    private static List<Answered> commitFiles(SyncClientOptions options, int client, AtomicInteger answered) {
        List<Answered> results = new ArrayList<>();
        try (SyncClient sync = SyncClient.connect(options)) {
            String loginId = SyncClient.newRequestId();
            String deviceId = retrying(() -> sync.login(LoginRequest.newBuilder().setEmail(EMAIL).setPassword(PASSWORD)
                    .setDeviceName("device-" + client).build(), loginId)).getDeviceId();
            String listId = SyncClient.newRequestId();
            String workspace = retrying(() -> sync.listWorkspaces(
                    org.syncservice.protocol.v1.ListWorkspacesRequest.getDefaultInstance(), listId))
                    .getWorkspaces(0).getWorkspaceId();
            for (int i = 0; i < COMMITS_PER_CLIENT; i++) {
                String name = "client-" + client + "-file-" + i + ".txt";
                String requestId = SyncClient.newRequestId();
                CommitRequest request = CommitRequest.newBuilder().setWorkspaceId(workspace)
                        .addItems(CommitItem.newBuilder().setTempId("f").setVersion(1)
                                .setStatus(ItemStatus.ITEM_STATUS_NEW).setName(name).setMimeType("text/plain")
                                .setChecksum("sha256:" + "0".repeat(64)).setSize(10)
                                .addChunks("chunk-" + client + "-" + i))
                        .build();
                CommitResponse response = retrying(() -> sync.commit(request, requestId));
                assertThat(response.getResults(0).getOutcome()).as(name).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
                results.add(new Answered(deviceId, requestId, name, response.getChangeSeq()));
                answered.incrementAndGet();
            }
        }
        return results;
    }

    /**
     * Calls again (the caller reuses its request id) while the error says a retry may succeed: the
     * outcome unknown, the service unavailable, or busy (a login refused while the password checks
     * are all taken), after the wait the service asked for.
     */
    private static <T> T retrying(Supplier<T> call) {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (SyncServiceException e) {
                if (!e.isRetryable() || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(e.retryAfter().orElse(Duration.ofMillis(200)).toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void assertStoredExactlyOnce(DataSource dataSource, List<Answered> all) throws SQLException {
        int total = CLIENTS * COMMITS_PER_CLIENT;
        try (Connection connection = dataSource.getConnection()) {
            assertThat(count(connection, "SELECT count(*) FROM items")).isEqualTo(total);
            assertThat(count(connection, "SELECT count(*) FROM item_versions")).isEqualTo(total);
            assertThat(count(connection, "SELECT count(DISTINCT name) FROM items")).isEqualTo(total);
            assertThat(count(connection, "SELECT count(*) FROM request_log WHERE change_seq > 0")).isEqualTo(total);
            // Consecutive change sequence numbers 1..total, one per commit, matching what clients were told.
            assertThat(count(connection, "SELECT count(DISTINCT change_seq) FROM item_versions")).isEqualTo(total);
            assertThat(count(connection, "SELECT min(change_seq) FROM item_versions")).isEqualTo(1);
            assertThat(count(connection, "SELECT max(change_seq) FROM item_versions")).isEqualTo(total);
            assertThat(count(connection, "SELECT max(latest_change_seq) FROM workspaces")).isEqualTo(total);
            assertThat(all.stream().mapToLong(Answered::changeSeq).distinct().count()).isEqualTo(total);
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT count(*), min(r.change_seq), min(v.change_seq), min(i.name)
                      FROM request_log r
                      JOIN item_versions v ON v.change_seq = r.change_seq AND v.workspace_id = r.workspace_id
                      JOIN items i ON i.item_id = v.item_id
                     WHERE r.device_id = ?::uuid AND r.request_id = ?""")) {
                for (Answered answer : all) {
                    statement.setString(1, answer.deviceId());
                    statement.setString(2, answer.requestId());
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        assertThat(rows.getInt(1)).as(answer.toString()).isEqualTo(1);
                        assertThat(rows.getLong(2)).as(answer.toString()).isEqualTo(answer.changeSeq());
                        assertThat(rows.getString(4)).as(answer.toString()).isEqualTo(answer.name());
                    }
                }
            }
        }
    }

    private static void awaitOutboxPublished(DataSource dataSource) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection connection = dataSource.getConnection()) {
            assertThat(count(connection, "SELECT count(*) FROM outbox WHERE kind = 'COMMIT'"))
                    .isEqualTo(CLIENTS * COMMITS_PER_CLIENT);
            while (count(connection, "SELECT count(*) FROM outbox WHERE published_at IS NULL") > 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(count(connection, "SELECT count(*) FROM outbox WHERE published_at IS NULL"))
                    .as("unpublished outbox rows").isZero();
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The service as an OS process, its output in a file. */
    private record ServiceProcess(Process process, Path logFile) {

        static ServiceProcess start(Path jar, Path config, Path logFile) throws IOException {
            Process process = new ProcessBuilder(java(), "-Xmx256m", "-jar", jar.toString(), "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            return new ServiceProcess(process, logFile);
        }

        void awaitLine(String text, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!log().contains(text)) {
                if (!process.isAlive()) {
                    throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + log());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + log());
                }
                Thread.sleep(50);
            }
        }

        String log() throws IOException {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        }

        void stop() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }
}
