package org.syncservice.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.testing.CommitLoad;
import org.syncservice.server.testing.ServiceProcess;
import org.syncservice.server.testing.StoredChanges;
import org.syncservice.server.testing.TestBroker;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.storage.s3.TestS3Server;
import org.syncservice.server.testing.TestDatabase;

/**
 * The service as separate processes, SIGKILLed in the middle of a stream of commits. Whatever the
 * killed process had taken from the queue and not acknowledged is redelivered; the stored answers
 * make the redelivery and the clients' retries harmless: every answered commit is stored once,
 * sequence numbers stay consecutive, quota equals the live files, and every change is published.
 */
class ServiceKillTest {
    private static final int CLIENTS = 4;
    private static final Duration RETRY_FOR = Duration.ofSeconds(90);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private TestDatabase database;
    private TestBroker broker;
    private TestS3Server s3;
    private final List<ServiceProcess> processes = new ArrayList<>();
    private final List<SyncClient> clients = new ArrayList<>();
    private String workspace;

    @BeforeEach
    void setUp() throws Exception {
        database = TestDatabase.create();
        broker = TestBroker.create();
        s3 = TestS3Server.start();
        String email = "kill-" + UUID.randomUUID() + "@example.org";
        CreatedUser user = TestComponents.create(database).accounts().createUser(email, "Kill", "pw-kill", 1L << 40);
        workspace = user.defaultWorkspaceId().toString();
        // The first instance comes first on the queue, so the one killed in the two-instance case
        // is the one serving the load, not one standing by.
        processes.add(ServiceProcess.start("a", settings(2)));
        SyncClientOptions options = SyncClientOptions.builder().host(TestBroker.host()).port(TestBroker.port())
                .requestQueue(broker.requestQueue()).callTimeout(Duration.ofSeconds(3)).build();
        for (int i = 0; i < CLIENTS; i++) {
            SyncClient client = SyncClient.connect(options);
            clients.add(client);
            client.login(LoginRequest.newBuilder().setEmail(email).setPassword("pw-kill")
                    .setDeviceName("device-" + i).setOs("linux").setAppVersion("1").build());
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(SyncClient::close);
        for (ServiceProcess process : processes) {
            process.close();
        }
        broker.close();
        database.close();
        s3.close();
    }

    @Test
    void aServiceKilledMidLoadAndStartedAgainLosesAndDoublesNothing() throws Exception {
        ServiceProcess service = processes.get(0);
        CommitLoad load = new CommitLoad(workspace, clients, RETRY_FOR);
        try {
            for (int round = 0; round < 3; round++) {
                load.awaitMoreAnswers(40, PATIENCE);
                service.kill();
                TimeUnit.MILLISECONDS.sleep(500);
                service.start();
            }
            load.awaitMoreAnswers(40, PATIENCE);
        } finally {
            load.close();
        }

        StoredChanges stored = new StoredChanges(database.dataSource(), workspace);
        stored.awaitOutboxPublished(PATIENCE);
        int commits = stored.assertMatches(load.answers().values(), load.sent());
        System.out.printf("ServiceKillTest: 3 kills, %d commits answered and stored, failures seen %s, %d retries%n",
                commits, load.failures(), load.retries());
        assertThat(waitingRequests()).isZero();
    }

    @Test
    void withTwoInstancesOnOneQueueTheSurvivorCarriesOnWhenOneIsKilled() throws Exception {
        ServiceProcess victim = processes.get(0);
        ServiceProcess survivor = ServiceProcess.start("b", settings(1));
        processes.add(survivor);
        CommitLoad load = new CommitLoad(workspace, clients, RETRY_FOR);
        try {
            load.awaitMoreAnswers(60, PATIENCE);
            victim.kill();
            load.awaitMoreAnswers(100, PATIENCE);
        } finally {
            load.close();
        }

        assertThat(survivor.isAlive()).isTrue();
        StoredChanges stored = new StoredChanges(database.dataSource(), workspace);
        stored.awaitOutboxPublished(PATIENCE);
        int commits = stored.assertMatches(load.answers().values(), load.sent());
        System.out.printf("ServiceKillTest (two instances): %d commits answered and stored, failures seen %s,"
                + " %d retries%n", commits, load.failures(), load.retries());
        assertThat(waitingRequests()).isZero();
    }

    /** @param priority the instance's place on the request queue (amqp.consumer-priority) */
    private Map<String, String> settings(int priority) {
        Map<String, String> settings = ServiceProcess.settings(database.url(), TestDatabase.user(), broker);
        settings.put("db.pool-size", "4");
        settings.put("amqp.consumer-priority", Integer.toString(priority));
        settings.putAll(s3.serviceSettings());
        return settings;
    }

    private long waitingRequests() throws Exception {
        try (var channel = broker.connection().createChannel()) {
            return channel.messageCount(broker.requestQueue());
        }
    }
}
