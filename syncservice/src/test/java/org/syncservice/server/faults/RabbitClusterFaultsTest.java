package org.syncservice.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.server.SyncService;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.testing.CommitLoad;
import org.syncservice.server.testing.RabbitCluster;
import org.syncservice.server.testing.RabbitCluster.NodeCommand;
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

        static NodeAction of(RabbitCluster.NodeCommand command) {
            return node -> cluster.run(command, node);
        }
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
        underFault("stop_app of node 2", 2, NodeAction.of(NodeCommand.STOP_APP),
                NodeAction.of(NodeCommand.START_APP));
    }

    @Test
    void aKilledNodeLosesAndDoublesNothing() throws Exception {
        underFault("kill -9 of node 1", 1, NodeAction.of(NodeCommand.KILL), NodeAction.of(NodeCommand.START));
    }

    @Test
    void aNodeCutOffTheOthersAndHealedLosesAndDoublesNothing() throws Exception {
        // The fault counts from when the majority has noticed (net_ticktime) and the node paused.
        underFault("node 1 cut off", 1, node -> {
            cluster.run(NodeCommand.CUT, node);
            cluster.awaitSeenDown(2, node, Duration.ofSeconds(60));
        }, NodeAction.of(NodeCommand.HEAL));
    }

    /**
     * Device queues are classic queues, on the node of the instance that declared them. While that
     * node is down the queue cannot be reached (declaring it answers 404 NOT_FOUND, home node down)
     * and the notifications published meanwhile are dropped (routed to no running queue); what it
     * held is lost with the node unless notifications.persistent. The device catches up with
     * get_changes from the cursor it had, which lists every change.
     */
    @Test
    void aDeviceWhoseQueueLivedOnAKilledNodeCatchesUpFromItsCursor() throws Exception {
        SyncClient phone = clients.get(2);
        List<SyncClient> committers = new ArrayList<>(clients);
        committers.remove(2);
        String cursor = phone.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(workspace).build())
                .getNextCursor();
        String queue = phone.subscribeNotifications().getQueue();
        int home = homeNode(queue);
        String seenWhileDown;
        CommitLoad load = new CommitLoad(workspace, committers, RETRY_FOR);
        long faultAt;
        try {
            load.awaitMoreAnswers(20, PATIENCE);
            faultAt = System.nanoTime();
            cluster.run(NodeCommand.KILL, home);
            load.awaitMoreAnswers(40, PATIENCE);
            seenWhileDown = declareFromNode3(queue);
            TimeUnit.MILLISECONDS.sleep(Math.max(0, FAULT_LASTS.toMillis()
                    - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultAt)));
            cluster.run(NodeCommand.START, home);
            load.awaitEveryClientAnsweredAfter(System.nanoTime(), PATIENCE);
        } finally {
            load.close();
        }
        StoredChanges stored = new StoredChanges(service.database().dataSource(), workspace);
        stored.awaitOutboxPublished(PATIENCE);
        int commits = stored.assertMatches(load.answers().values(), load.sent());

        Set<Long> notified = drainCommitNotifications(queue);
        long caughtUpAt = System.nanoTime();
        Set<String> caughtUp = namesSince(phone, cursor);
        Duration catchUp = Duration.ofNanos(System.nanoTime() - caughtUpAt);
        System.out.printf("RabbitClusterFaultsTest (device queue on node %d, killed): while down its queue answered"
                        + " \"%s\"; of %d changes its queue holds %d notifications afterwards; get_changes from its"
                        + " cursor listed %d of them in %d ms%n", home, seenWhileDown, commits, notified.size(),
                caughtUp.size(), catchUp.toMillis());
        assertThat(seenWhileDown).as("the queue while its node is down").contains("404");
        assertThat(notified.size()).as("notifications kept across the loss of the queue's node").isLessThan(commits);
        assertThat(caughtUp).as("get_changes from the device's cursor: every change, none lost")
                .containsExactlyInAnyOrderElementsOf(load.answers().values().stream().map(CommitLoad.Answer::name)
                        .toList());
    }

    /**
     * Every node enforces what scripts/rabbitmq-auth-setup.sh sets: the JWT backend after the
     * internal users, and a login-only user that may publish to the request exchange and nothing else.
     */
    @Test
    void everyNodeAuthenticatesAndAuthorizesAsTheAuthSetupSays() throws Exception {
        for (int node = 1; node <= cluster.size(); node++) {
            assertThat(cluster.ctl(node, "eval", "application:get_env(rabbit, auth_backends)."))
                    .as("auth backends of node %d", node)
                    .contains("rabbit_auth_backend_internal").contains("rabbit_auth_backend_oauth2");
            ConnectionFactory factory = node3();
            factory.setHost(cluster.address(node));
            factory.setUsername("syncservice-login");
            factory.setPassword("syncservice-login");
            try (Connection connection = factory.newConnection("cluster-test-login")) {
                Channel publishing = connection.createChannel();
                publishing.confirmSelect();
                publishing.basicPublish("syncservice.rpc", "nowhere", null, new byte[0]);
                publishing.waitForConfirmsOrDie(10_000);
                Channel declaring = connection.createChannel();
                String refusal = "";
                try {
                    declaring.queueDeclare("login-test", false, true, true, Map.of());
                } catch (IOException e) {
                    refusal = String.valueOf(e.getCause());
                }
                assertThat(refusal).as("the login user declaring a queue on node %d", node)
                        .contains("ACCESS_REFUSED");
            }
        }
    }

    /** The node a classic queue lives on: that of its process. */
    private static int homeNode(String queue) throws Exception {
        for (String line : cluster.ctl(3, "list_queues", "name", "pid", "--no-table-headers").split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 2 && fields[0].equals(queue)) {
                for (int node = 1; node <= cluster.size(); node++) {
                    // A queue process id reads <rabbit@ADDRESS.N.N.N>.
                    if (fields[1].startsWith("<rabbit@" + cluster.address(node) + ".")) {
                        return node;
                    }
                }
            }
        }
        throw new AssertionError("queue " + queue + " is not listed");
    }

    /** What a passive declaration of the queue through node 3 answers. */
    private static String declareFromNode3(String queue) throws Exception {
        try (Connection connection = node3().newConnection("cluster-test");
             Channel channel = connection.createChannel()) {
            channel.queueDeclarePassive(queue);
            return "declared";
        } catch (IOException e) {
            return String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
    }

    private static Set<Long> drainCommitNotifications(String queue) throws Exception {
        Set<Long> seqs = new TreeSet<>();
        try (Connection connection = node3().newConnection("cluster-test");
             Channel channel = connection.createChannel()) {
            GetResponse message;
            while ((message = channel.basicGet(queue, true)) != null) {
                Notification notification = Notification.parseFrom(message.getBody());
                if (notification.hasCommit()) {
                    seqs.add(notification.getCommit().getChangeSeq());
                }
            }
        }
        return seqs;
    }

    private static ConnectionFactory node3() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(cluster.address(3));
        factory.setPort(RabbitCluster.AMQP_PORT);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    private Set<String> namesSince(SyncClient device, String cursor) {
        Set<String> names = new TreeSet<>();
        GetChangesResponse page;
        do {
            page = device.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(workspace).setCursor(cursor)
                    .build());
            page.getItemsList().stream().map(Item::getName).forEach(names::add);
            cursor = page.getNextCursor();
        } while (page.getHasMore());
        return names;
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
