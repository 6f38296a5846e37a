package org.syncservice.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.server.testing.CommitLoad;
import org.syncservice.server.testing.OwnPostgres;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.StoredChanges;

/**
 * PostgreSQL (a cluster of the test's own) stopped for a few seconds under a stream of commits and
 * started again. The service is not restarted: it answers UNAVAILABLE with a retry hint while the
 * database is away, then serves again; every answered commit is stored once, nothing else is
 * stored, and every change reaches the outbox and is published.
 */
class PostgresRestartTest {
    private static final int CLIENTS = 4;
    private static final Duration RETRY_FOR = Duration.ofSeconds(90);

    @Test
    void commitsAcrossADatabaseRestartAreAllStoredOnceAndTheServiceRecoversByItself() throws Exception {
        assumeTrue(OwnPostgres.available(), "pg_createcluster is needed for a PostgreSQL of the test's own");
        try (OwnPostgres postgres = OwnPostgres.create();
             RunningService service = RunningService.start(Map.of("db.url", postgres.url(),
                     "db.user", postgres.user(), "db.connect-timeout", "2s"))) {
            String email = "pg-" + System.nanoTime() + "@example.org";
            var user = service.service().components().accounts().createUser(email, "Pg", "pw-restart", 1L << 40);
            SyncClientOptions options = SyncClientOptions.builder().host(service.clientOptions().host())
                    .port(service.clientOptions().port()).requestQueue(service.clientOptions().requestQueue())
                    .callTimeout(Duration.ofSeconds(5)).build();
            List<SyncClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    SyncClient client = SyncClient.connect(options);
                    clients.add(client);
                    client.login(LoginRequest.newBuilder().setEmail(email).setPassword("pw-restart")
                            .setDeviceName("device-" + i).setOs("linux").setAppVersion("1").build());
                }
                String workspace = user.defaultWorkspaceId().toString();
                CommitLoad load = new CommitLoad(workspace, clients, RETRY_FOR);
                try {
                    load.awaitMoreAnswers(50, RETRY_FOR);
                    postgres.stop();
                    TimeUnit.SECONDS.sleep(3);
                    postgres.start();
                    load.awaitMoreAnswers(100, RETRY_FOR);
                } finally {
                    load.close();
                }

                StoredChanges stored = new StoredChanges(postgres.dataSource(), workspace);
                stored.awaitOutboxPublished(Duration.ofSeconds(60));
                int commits = stored.assertMatches(load.answers().values(), load.sent());
                System.out.printf("PostgresRestartTest: %d commits answered and stored, %d sent, failures seen %s,"
                        + " %d retries%n", commits, load.sent().size(), load.failures(), load.retries());
                // Seen as UNAVAILABLE, or as the clients' own timeouts: a commit whose COMMIT met the
                // shutdown is answered only once the service found out whether it committed (up to a
                // connection attempt of db.connect-timeout, within about 3 s), and the requests behind
                // it wait meanwhile.
                assertThat(load.failures().keySet()).as("the outage was seen by the clients").isNotEmpty()
                        .isSubsetOf(ErrorCode.ERROR_CODE_UNAVAILABLE, ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED);
                assertThat(service.service().isHealthy()).isTrue();
            } finally {
                clients.forEach(SyncClient::close);
            }
        }
    }

}
