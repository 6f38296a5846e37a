package org.syncservice.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.server.SyncService;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.testing.CommitLoad;
import org.syncservice.server.testing.RabbitCluster;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.StoredChanges;
import org.syncservice.server.testing.TestBroker;

/**
 * The service on a three-node RabbitMQ cluster ({@link RabbitCluster}) under load, with a node
 * stopped, killed, or cut off from the others and healed. The request queue is a quorum queue;
 * two service instances serve it, on nodes 1 and 2; six clients are spread over the three nodes
 * and retry with the same request id. Each time: every answered commit is stored exactly once,
 * every stored change is published through the outbox, the clients on the surviving nodes go on
 * within {@link #SURVIVORS_GO_ON}, and every client goes on once the node is back. The outage each
 * group of clients saw is printed (docs/scaling.md records the figures).
 *
 * <p>The request queue is declared through node 1, so its quorum leader starts there: the kill and
 * the cut hit the leader and the instance connected to it; the stop hits the other instance's node.
 */
@Tag("scale-out")
class RabbitClusterFaultsTest {
    private static final int CLIENTS = 6;
    private static final Duration RETRY_FOR = Duration.ofSeconds(150);
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    /** Bound on the pause of clients whose node stays up: quorum leader election, redelivery, retries. */
    private static final Duration SURVIVORS_GO_ON = Duration.ofSeconds(30);
    /** How long the fault lasts before it is undone. */
    private static final Duration FAULT_LASTS = Duration.ofSeconds(10);

    private static RabbitCluster cluster;

    private RunningService service;
    private SyncService peer;
    private final List<SyncClient> clients = new ArrayList<>();
    private String workspace;

    @FunctionalInterface
    private interface NodeAction {
        void on(int node) throws Exception;
    }

    @BeforeAll
    static void startCluster() throws Exception {
        assumeTrue(RabbitCluster.available(), "needs root, iproute2 and rabbitmq-server for a cluster of its own");
        cluster = RabbitCluster.start(3, Map.of());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        cluster.awaitAllRunning(1, Duration.ofMinutes(2));
        service = RunningService.startOn(Map.of("amqp.quorum-queues", "true", "amqp.recovery-interval", "1s",
                "db.pool-size", "4"), () -> TestBroker.create(cluster.address(1), RabbitCluster.AMQP_PORT));
        peer = service.startPeer(Map.of("amqp.host", cluster.address(2)), "peer");
        String email = "cluster-" + UUID.randomUUID() + "@example.org";
        CreatedUser user = service.service().components().accounts().createUser(email, "Cluster", "pw-cluster",
                1L << 40);
        workspace = user.defaultWorkspaceId().toString();
        for (int i = 0; i < CLIENTS; i++) {
            SyncClient client = SyncClient.connect(clientOptions(nodeOf(i)));
            clients.add(client);
            client.login(LoginRequest.newBuilder().setEmail(email).setPassword("pw-cluster")
                    .setDeviceName("device-" + i).setOs("linux").setAppVersion("1").build());
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(SyncClient::close);
        clients.clear();
        try {
            if (peer != null) {
                peer.close();
            }
        } finally {
            if (service != null) {
                service.close();
            }
        }
    }

    @Test
    void aStoppedNodeLosesAndDoublesNothing() throws Exception {
        underFault("stop_app of node 2", 2, cluster::stopApp, cluster::startApp);
    }

    @Test
    void aKilledNodeLosesAndDoublesNothing() throws Exception {
        underFault("kill -9 of node 1", 1, cluster::kill, cluster::startNode);
    }

    @Test
    void aNodeCutOffTheOthersAndHealedLosesAndDoublesNothing() throws Exception {
        // The fault counts from when the majority has noticed (net_ticktime) and the node paused.
        underFault("node 1 cut off", 1, node -> {
            cluster.cut(node);
            cluster.awaitSeenDown(2, node, Duration.ofSeconds(60));
        }, cluster::heal);
    }

    private void underFault(String fault, int victim, NodeAction inject, NodeAction undo) throws Exception {
        CommitLoad load = new CommitLoad(workspace, clients, RETRY_FOR);
        Duration survivors = Duration.ZERO;
        Duration victims = Duration.ZERO;
        Duration afterUndo = Duration.ZERO;
        try {
            load.awaitMoreAnswers(40, PATIENCE);
            long faultAt = System.nanoTime();
            inject.on(victim);
            long injected = System.nanoTime();
            load.awaitMoreAnswers(40, PATIENCE);
            long lasted = System.nanoTime() - injected;
            if (lasted < FAULT_LASTS.toNanos()) {
                Thread.sleep((FAULT_LASTS.toNanos() - lasted) / 1_000_000);
            }
            long undoAt = System.nanoTime();
            undo.on(victim);
            long undone = System.nanoTime();
            load.awaitEveryClientAnsweredAfter(undone, PATIENCE);
            for (int i = 0; i < CLIENTS; i++) {
                Duration pause = load.longestPause(i, faultAt, undone).orElseThrow();
                if (nodeOf(i) == victim) {
                    victims = max(victims, pause);
                    afterUndo = max(afterUndo, load.nextAnswerAfter(i, undoAt).orElseThrow());
                } else {
                    survivors = max(survivors, pause);
                }
            }
            load.awaitMoreAnswers(40, PATIENCE);
        } finally {
            load.close();
        }

        StoredChanges stored = new StoredChanges(service.database().dataSource(), workspace);
        stored.awaitOutboxPublished(PATIENCE);
        int commits = stored.assertMatches(load.answers().values(), load.sent());
        System.out.printf("RabbitClusterFaultsTest (%s, undone after %d s): %d commits answered and stored once,"
                        + " lost 0, doubled 0; longest pause of clients on other nodes %d ms, of clients on the"
                        + " node %d ms (their first answer %d ms after the fault was undone); failures seen %s,"
                        + " %d retries%n", fault, FAULT_LASTS.toSeconds(), commits, survivors.toMillis(),
                victims.toMillis(), afterUndo.toMillis(), load.failures(), load.retries());
        assertThat(survivors).as("pause of the clients whose node stayed up").isLessThan(SURVIVORS_GO_ON);
    }

    /** Client {@code i} connects to node 1, 2, 3, 1, ... */
    private static int nodeOf(int client) {
        return client % 3 + 1;
    }

    private SyncClientOptions clientOptions(int node) {
        return service.clientOptions().toBuilder().host(cluster.address(node)).port(RabbitCluster.AMQP_PORT)
                .callTimeout(Duration.ofSeconds(3)).recoveryInterval(Duration.ofSeconds(1)).build();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
