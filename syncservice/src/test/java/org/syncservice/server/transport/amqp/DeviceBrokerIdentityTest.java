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
import com.rabbitmq.client.ConnectionFactory;
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
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.protocol.v1.SubscribeNotificationsRequest;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.testing.CommitItems;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SigningKeys;

/**
 * Devices get, refresh and use their own broker identity, through the SDK, against the machine's
 * RabbitMQ with the JWT backend (scripts/rabbitmq-auth-setup.sh) and the whole service: the SDK
 * logs in as the login-only user, then works under the token the service signed (commits,
 * changes, notifications), refreshes it past its expiry, and a revoked device gets no fresh one.
 * The run has its own virtual host, login user and signing key (a key id of its own, added with
 * {@code rabbitmqctl add_uaa_key}); tokens live 5 s ({@code auth.token-cache-ttl}).
 */
class DeviceBrokerIdentityTest {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String VHOST = "device-identity-" + RUN;
    private static final String LOGIN_USER = "device-identity-login-" + RUN;
    private static final String LOGIN_PASSWORD = "login-" + RUN;
    private static final String KEY_ID = "device-identity-" + RUN;
    private static final String REQUEST_EXCHANGE = "syncservice.rpc";
    private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(5);
    private static final String PASSWORD = "a password of the test";

    private static SigningKeys keys;
    private static RunningService service;

    @BeforeAll
    static void startTheServiceWithBrokerTokens() throws Exception {
        BrokerCli.requireOAuth2Backend();
        keys = SigningKeys.create();
        BrokerCli.run("add_uaa_key", KEY_ID, "--pem=" + keys.publicKeyPem());
        BrokerCli.run("add_vhost", VHOST);
        BrokerCli.run("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*");
        BrokerCli.addUser(LOGIN_USER, LOGIN_PASSWORD);
        // As scripts/rabbitmq-auth-setup.sh sets them.
        BrokerCli.run("set_permissions", "-p", VHOST, LOGIN_USER, "^$", "^syncservice\\.rpc$", "^$");
        service = RunningService.start(Map.of(
                "amqp.virtual-host", VHOST,
                "amqp.request-exchange", REQUEST_EXCHANGE,
                "auth.token-cache-ttl", "5s",
                "auth.require-broker-user-id", "true",
                "auth.broker-login-user", LOGIN_USER,
                "auth.broker-signing-key-file", keys.privateKeyFile().toString(),
                "auth.broker-signing-key-id", KEY_ID));
    }

    @AfterAll
    static void removeWhatTheRunMade() throws Exception {
        if (service != null) {
            service.close();
        }
        BrokerCli.runQuietly("delete_user", LOGIN_USER);
        BrokerCli.runQuietly("delete_vhost", VHOST);
        if (keys != null) {
            keys.close();
        }
    }

    /** What an application sets: the broker, and the login-only user, nothing of the device. */
    private static SyncClientOptions options() {
        return service.clientOptions().toBuilder()
                .virtualHost(VHOST)
                // The broker user of the options is one that may do nothing in this virtual host:
                // whatever works below works under the identities the SDK switched to.
                .username("nobody-" + RUN).password("none")
                .loginUser(LOGIN_USER, LOGIN_PASSWORD)
                .callTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static CreatedUser newUser(String email) {
        return service.service().components().accounts().createUser(email, "Test", PASSWORD, 1L << 30);
    }

    private static LoginResponse login(SyncClient client, String email) {
        return client.login(LoginRequest.newBuilder().setEmail(email).setPassword(PASSWORD)
                .setDeviceName("device").build());
    }

    private static String email() {
        return "identity-" + UUID.randomUUID() + "@example.com";
    }

    private static List<String> connectedBrokerUsers() throws Exception {
        return List.of(BrokerCli.run("list_connections", "-p", VHOST, "user").strip().split("\\s+"));
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
                    .doesNotContain(LOGIN_USER).contains("device." + loginA.getDeviceId());
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
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(service.config().amqp().host());
        factory.setPort(service.config().amqp().port());
        factory.setVirtualHost(VHOST);
        factory.setUsername("");
        factory.setPassword(brokerToken);
        factory.setAutomaticRecoveryEnabled(false);
        return factory.newConnection("device-identity-test");
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
