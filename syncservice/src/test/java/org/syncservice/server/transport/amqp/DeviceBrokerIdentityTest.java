package org.syncservice.server.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.syncservice.server.transport.amqp.BrokerAttempts.ACCESS_REFUSED;
import static org.syncservice.server.transport.amqp.BrokerAttempts.attempt;
import static org.syncservice.server.transport.amqp.BrokerAttempts.publishConfirmed;
import static org.syncservice.server.transport.amqp.BrokerAttempts.replyCode;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.NotificationListener;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.client.SyncPosition;
import org.syncservice.client.SyncServiceException;
import org.syncservice.client.WorkspaceChanges;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetServerInfoResponse;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.protocol.v1.SubscribeNotificationsRequest;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.testing.CommitItems;
import org.syncservice.server.testing.RunningService;

/**
 * Devices get, refresh and use their own broker identity, through the SDK, against the machine's
 * RabbitMQ with the JWT backend (scripts/rabbitmq-auth-setup.sh) and the whole service: the SDK
 * logs in as the login-only user, then works under the token the service signed (commits,
 * changes, notifications), refreshes it past its expiry, and a revoked device gets no fresh one.
 * The run has its own virtual host, login user and signing key (a key id of its own, added with
 * {@code rabbitmqctl add_uaa_key}); tokens live 5 s ({@code auth.token-cache-ttl}).
 */
class DeviceBrokerIdentityTest {
    private static final Duration TOKEN_LIFETIME = JwtBrokerRun.TOKEN_LIFETIME;
    private static final String REQUEST_EXCHANGE = JwtBrokerRun.REQUEST_EXCHANGE;

    private static JwtBrokerRun broker;
    private static RunningService service;

    @BeforeAll
    static void startTheServiceWithBrokerTokens() throws Exception {
        broker = JwtBrokerRun.create("device-identity");
        service = broker.start(Map.of());
    }

    @AfterAll
    static void removeWhatTheRunMade() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static SyncClientOptions options() {
        return broker.options();
    }

    private static CreatedUser newUser(String email) {
        return broker.newUser(email);
    }

    private static LoginResponse login(SyncClient client, String email) {
        return JwtBrokerRun.login(client, email);
    }

    private static String email() {
        return JwtBrokerRun.email();
    }

    private static List<String> connectedBrokerUsers() throws Exception {
        return List.of(BrokerCli.run("list_connections", "-p", broker.vhost, "user").strip().split("\\s+"));
    }

    @Test
    void getServerInfoAnnouncesTheRequestExchangeBrokerTokensAndTheRefreshOperation() {
        try (SyncClient client = SyncClient.connect(options())) {
            GetServerInfoResponse info = client.getServerInfo();
            assertThat(info.getRequestExchange()).isEqualTo(REQUEST_EXCHANGE);
            assertThat(info.getBrokerTokens()).isTrue();
            assertThat(info.getOperationsList()).contains("refresh_broker_token", "login");
        }
    }

    @Test
    void aClientLogsInAsTheLoginUserThenWorksEntirelyUnderItsOwnBrokerIdentity() throws Exception {
        String email = email();
        CreatedUser user = newUser(email);
        String workspace = user.defaultWorkspaceId().toString();
        try (SyncClient a = SyncClient.connect(options()); SyncClient b = SyncClient.connect(options())) {
            LoginResponse loginA = login(a, email);
            login(b, email);
            assertThat(loginA.getBrokerToken().getBrokerUser()).isEqualTo("device." + loginA.getDeviceId());
            assertThat(loginA.getBrokerToken().getValidForMs()).isBetween(3_000L, TOKEN_LIFETIME.toMillis());

            BlockingQueue<WorkspaceChanges> arrived = new LinkedBlockingQueue<>();
            try (NotificationListener listener = NotificationListener.start(a, options(), loginA.getDeviceId(),
                    Map.of(workspace, SyncPosition.START), arrived::add)) {
                assertThat(listener.isPushActive()).as("consuming its device queue").isTrue();
                // The commit and get_changes go out under b's own identity: the login user may not
                // call them, and the options' broker user may do nothing here.
                b.commit(org.syncservice.protocol.v1.CommitRequest.newBuilder().setWorkspaceId(workspace)
                        .addItems(CommitItems.newFile("t1", "report.txt", 10)).build());
                assertThat(b.getChanges(org.syncservice.protocol.v1.GetChangesRequest.newBuilder()
                        .setWorkspaceId(workspace).build()).getItemsList())
                        .extracting(org.syncservice.protocol.v1.Item::getName).contains("report.txt");
                WorkspaceChanges pushed = null;
                for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); pushed == null
                        && System.nanoTime() < end; ) {
                    WorkspaceChanges changes = arrived.poll(1, TimeUnit.SECONDS);
                    if (changes != null && !changes.fromCatchUp()) {
                        pushed = changes;
                    }
                }
                assertThat(pushed).as("the commit's notification, pushed to a's device queue").isNotNull();
                assertThat(pushed.items()).extracting(org.syncservice.protocol.v1.Item::getName).contains("report.txt");
            }
            assertThat(connectedBrokerUsers()).as("the login connections are closed after the switch")
                    .doesNotContain(broker.loginUser).contains("device." + loginA.getDeviceId());
        }
    }

    @Test
    void anotherDevicesQueueIsRefusedToTheTokenTheSdkObtained() throws Exception {
        String email = email();
        newUser(email);
        try (SyncClient a = SyncClient.connect(options()); SyncClient b = SyncClient.connect(options())) {
            LoginResponse loginA = login(a, email);
            LoginResponse loginB = login(b, email);
            String queueOfB = b.subscribeNotifications(SubscribeNotificationsRequest.getDefaultInstance()).getQueue();
            String queueOfA = a.subscribeNotifications(SubscribeNotificationsRequest.getDefaultInstance()).getQueue();
            try (Connection asA = connectWith(loginA.getBrokerToken().getToken())) {
                assertThat(consume(asA, queueOfA)).as("its own queue").isZero();
                assertThat(consume(asA, queueOfB)).as("b's queue").isEqualTo(ACCESS_REFUSED);
            }
            assertThat(loginB.getDeviceId()).isNotEqualTo(loginA.getDeviceId());
        }
    }

    @Test
    void theRefreshKeepsALongLivedClientWorkingPastItsFirstTokensExpiry() throws Exception {
        String email = email();
        CreatedUser user = newUser(email);
        String workspace = user.defaultWorkspaceId().toString();
        try (SyncClient client = SyncClient.connect(options())) {
            LoginResponse login = login(client, email);
            long end = System.nanoTime() + 3 * TOKEN_LIFETIME.toNanos();
            int calls = 0;
            while (System.nanoTime() < end) {
                assertThat(client.getAccountInfo().getAccount().getUserId()).isEqualTo(user.userId().toString());
                calls++;
                Thread.sleep(500);
            }
            System.out.printf("device identity: %d calls over 3 token lifetimes, all served%n", calls);
            // A new connection and a new consume need the current token: the first expired long ago.
            BlockingQueue<WorkspaceChanges> arrived = new LinkedBlockingQueue<>();
            try (NotificationListener listener = NotificationListener.start(client, options(), login.getDeviceId(),
                    Map.of(workspace, SyncPosition.START), arrived::add)) {
                assertThat(listener.isPushActive()).as("consuming its device queue").isTrue();
            }
        }
    }

    @Test
    void aDeviceThatKeptItsDeviceTokenStartsAsTheLoginUserAndGetsItsBrokerToken() {
        String email = email();
        newUser(email);
        String deviceToken;
        try (SyncClient first = SyncClient.connect(options())) {
            deviceToken = login(first, email).getToken();
        }
        try (SyncClient again = SyncClient.connect(options()).withToken(deviceToken)) {
            // Only the device's own identity may call this: the login user would be refused.
            assertThat(again.listWorkspaces().getWorkspacesCount()).isPositive();
        }
    }

    @Test
    void aRevokedDeviceGetsNoFreshTokenAndItsConnectionStopsWorking() throws Exception {
        String email = email();
        CreatedUser user = newUser(email);
        try (SyncClient client = SyncClient.connect(options())) {
            LoginResponse login = login(client, email);
            try (Connection raw = connectWith(login.getBrokerToken().getToken())) {
                assertThat(publish(raw, login.getBrokerToken().getBrokerUser())).isZero();
                Channel kept = raw.createChannel();
                kept.confirmSelect();
                kept.basicPublish(REQUEST_EXCHANGE, "nowhere", null, new byte[0]);
                kept.waitForConfirmsOrDie(5_000);
                service.service().components().accounts().unregisterDevice(user.userId(),
                        UUID.fromString(login.getDeviceId()));
                try (SyncClient other = SyncClient.connect(options()).withToken(login.getToken())) {
                    assertThatThrownBy(other::listWorkspaces).isInstanceOf(SyncServiceException.class)
                            .extracting(e -> ((SyncServiceException) e).code())
                            .isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
                }
                Thread.sleep(TOKEN_LIFETIME.toMillis() + 1_500);
                assertThat(publish(raw, login.getBrokerToken().getBrokerUser()))
                        .as("the connection once its token expired").isEqualTo(ACCESS_REFUSED);
                // Measured, not required: RabbitMQ 3.10 caches a channel's permission checks, so a
                // channel that published before expiry may go on publishing requests, which the
                // service refuses (the device token is revoked). docs/design.md.
                String sameChannel;
                try {
                    kept.basicPublish(REQUEST_EXCHANGE, "nowhere", null, new byte[0]);
                    kept.waitForConfirmsOrDie(5_000);
                    sameChannel = "still accepted";
                } catch (IOException | ShutdownSignalException e) {
                    sameChannel = "refused (" + replyCode(e) + ")";
                }
                System.out.println("device identity: a publish on a channel opened before expiry: " + sameChannel);
            }
            assertThat(connectedBrokerUsers()).as("the SDK closed the revoked device's connection itself")
                    .doesNotContain(login.getBrokerToken().getBrokerUser());
            assertThatThrownBy(client::getAccountInfo).isInstanceOf(SyncServiceException.class);
        }
    }

    @Test
    void aDeviceRevokedOnAnotherInstanceGetsNoFreshTokenFromOneThatStillCachesItsDeviceToken() throws Exception {
        String email = email();
        CreatedUser user = newUser(email);
        // The peer takes every request while it keeps up (the highest consumer priority).
        try (var peer = service.startPeer(Map.of("amqp.consumer-priority", "1000000"), "peer");
             SyncClient client = SyncClient.connect(options())) {
            LoginResponse login = login(client, email);
            assertThat(client.getServerInfo().getServerVersion()).as("served by the peer").isEqualTo("peer");
            assertThat(client.getAccountInfo().getAccount().getUserId()).isEqualTo(user.userId().toString());
            // Revoked on this instance: the peer still has the device token cached (auth.token-cache-ttl).
            service.service().components().accounts().unregisterDevice(user.userId(),
                    UUID.fromString(login.getDeviceId()));
            assertThatThrownBy(client::refreshBrokerToken).isInstanceOf(SyncServiceException.class)
                    .extracting(e -> ((SyncServiceException) e).code())
                    .isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
        }
    }

    private static Connection connectWith(String brokerToken) throws Exception {
        return broker.connectWith(brokerToken, false);
    }

    /** 0 when the broker let it consume, else its reply code. */
    private static int consume(Connection connection, String queue) throws Exception {
        return attempt(connection, channel -> BrokerAttempts.consume(channel, queue));
    }

    /** Publishes a request-shaped message with confirms: 0 when accepted, else the broker's reply code. */
    private static int publish(Connection connection, String userId) throws Exception {
        return attempt(connection, channel -> publishConfirmed(channel, REQUEST_EXCHANGE, "nowhere",
                new AMQP.BasicProperties.Builder().userId(userId).build()));
    }
}
