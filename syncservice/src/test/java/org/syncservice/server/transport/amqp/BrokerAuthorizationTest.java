package org.syncservice.server.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.syncservice.server.transport.amqp.BrokerAttempts.ACCESS_REFUSED;
import static org.syncservice.server.transport.amqp.BrokerAttempts.PRECONDITION_FAILED;
import static org.syncservice.server.transport.amqp.BrokerAttempts.attempt;
import static org.syncservice.server.transport.amqp.BrokerAttempts.consume;
import static org.syncservice.server.transport.amqp.BrokerAttempts.publishConfirmed;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.server.notify.NotificationRoutes;
import org.syncservice.server.rpc.BrokerIdentities;
import org.syncservice.server.transport.amqp.BrokerAttempts.BrokerAction;

/**
 * The broker-level security matrix, against the machine's RabbitMQ configured the way
 * scripts/rabbitmq-auth-setup.sh (and README) configure it: internal users first, then JWTs the
 * service signs. Each case is tried by a device holding a valid token of its own (or by the
 * login-only identity) and must be refused by RabbitMQ itself, whatever the service does.
 * Every run has its own virtual host, login user and signing key (its own key id, added at run
 * time with {@code rabbitmqctl add_uaa_key}), all removed at the end but for the key, which the
 * broker forgets at its next restart. docs/reliability.md lists the cases with their counts.
 */
class BrokerAuthorizationTest {
    private static final String RESOURCE_SERVER = "syncservice";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String VHOST = "broker-auth-" + RUN;
    private static final String LOGIN_USER = "broker-auth-login-" + RUN;
    private static final String LOGIN_PASSWORD = "login-" + RUN;
    private static final int LOGIN_MAX_CONNECTIONS = 5;
    private static final String REQUEST_QUEUE = "syncservice.requests";
    private static final String REQUEST_EXCHANGE = "syncservice.rpc";
    private static final NotificationRoutes ROUTES = new NotificationRoutes("syncservice.notifications");

    private static KeyPair keys;
    private static Connection service;
    private static Channel channel;

    private final UUID deviceA = UUID.randomUUID();
    private final UUID deviceB = UUID.randomUUID();

    @BeforeAll
    static void configureTheBroker() throws Exception {
        BrokerCli.requireOAuth2Backend();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        BrokerCli.run("add_uaa_key", "broker-auth-" + RUN, "--pem=" + pem);
        BrokerCli.run("add_vhost", VHOST);
        BrokerCli.run("set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*");
        BrokerCli.addUser(LOGIN_USER, LOGIN_PASSWORD);
        // As scripts/rabbitmq-auth-setup.sh sets them.
        BrokerCli.run("set_permissions", "-p", VHOST, LOGIN_USER, "^$", "^syncservice\\.rpc$", "^$");
        BrokerCli.run("set_user_limits", LOGIN_USER,
                "{\"max-connections\": " + LOGIN_MAX_CONNECTIONS + ", \"max-channels\": 10}");

        service = factory("guest", "guest").newConnection("broker-auth-service");
        RpcTopology topology = new RpcTopology(REQUEST_QUEUE, REQUEST_EXCHANGE, ROUTES.exchange(), false);
        topology.declare(serviceChannel());
    }

    @AfterAll
    static void removeWhatTheRunMade() throws Exception {
        if (service != null) {
            service.close();
        }
        BrokerCli.runQuietly("delete_user", LOGIN_USER);
        BrokerCli.runQuietly("delete_vhost", VHOST);
    }

    /** The service's channel, opened again when a failed passive declaration closed it. */
    private static Channel serviceChannel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = service.createChannel();
        }
        return channel;
    }

    private static ConnectionFactory factory(String user, String password) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setVirtualHost(VHOST);
        factory.setUsername(user);
        factory.setPassword(password);
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    private static BrokerTokens tokens(Duration lifetime) {
        return new BrokerTokens(keys.getPrivate(), "broker-auth-" + RUN, RESOURCE_SERVER, VHOST, REQUEST_EXCHANGE,
                ROUTES, lifetime, Clock.systemUTC());
    }

    /** A device's connection with a fresh token; its device queue declared by the "service". */
    private Connection device(UUID deviceId, Duration lifetime) throws Exception {
        serviceChannel().queueDeclare(ROUTES.deviceQueue(deviceId), true, false, false,
                Map.of("x-expires", 60_000));
        serviceChannel().queueBind(ROUTES.deviceQueue(deviceId), ROUTES.exchange(), NotificationRoutes.device(deviceId));
        return factory(BrokerIdentities.deviceUser(deviceId), tokens(lifetime).forDevice(deviceId).value())
                .newConnection("broker-auth-device");
    }

    private Connection device(UUID deviceId) throws Exception {
        return device(deviceId, Duration.ofMinutes(5));
    }

    private static AMQP.BasicProperties from(String user) {
        return new AMQP.BasicProperties.Builder().userId(user).build();
    }

    /** Every action, tried by every connection, must be refused with ACCESS_REFUSED; prints the count. */
    private static void assertAllRefused(String what, List<Connection> connections, List<BrokerAction> attempts)
            throws Exception {
        int refused = 0;
        for (Connection connection : connections) {
            for (BrokerAction action : attempts) {
                refused += attempt(connection, action) == ACCESS_REFUSED ? 1 : 0;
            }
        }
        int tried = connections.size() * attempts.size();
        System.out.printf("broker matrix: %s: %d/%d refused%n", what, refused, tried);
        assertThat(refused).as(what).isEqualTo(tried);
    }

    private static final int ACCESS_REFUSED = 403;
    private static final int PRECONDITION_FAILED = 406;

    @Test
    void aDeviceMayPublishRequestsConsumeItsQueueAndGetRepliesOverDirectReplyTo() throws Exception {
        try (Connection a = device(deviceA)) {
            Channel channel = a.createChannel();
            BlockingQueue<String> replies = new ArrayBlockingQueue<>(1);
            channel.basicConsume("amq.rabbitmq.reply-to", true,
                    (tag, delivery) -> replies.add(new String(delivery.getBody(), StandardCharsets.UTF_8)), tag -> { });
            serviceChannel().queuePurge(REQUEST_QUEUE); // what other cases published
            channel.basicPublish(REQUEST_EXCHANGE, REQUEST_QUEUE, new AMQP.BasicProperties.Builder()
                    .userId(BrokerIdentities.deviceUser(deviceA)).replyTo("amq.rabbitmq.reply-to").build(),
                    "request".getBytes(StandardCharsets.UTF_8));
            // The "service" takes the request and answers to its reply_to over the default exchange.
            com.rabbitmq.client.GetResponse request = null;
            for (int i = 0; i < 50 && request == null; i++) {
                request = serviceChannel().basicGet(REQUEST_QUEUE, true);
                if (request == null) {
                    Thread.sleep(100);
                }
            }
            assertThat(request).as("the request reached the request queue").isNotNull();
            assertThat(request.getProps().getUserId()).isEqualTo(BrokerIdentities.deviceUser(deviceA));
            serviceChannel().basicPublish("", request.getProps().getReplyTo(), null,
                    "reply".getBytes(StandardCharsets.UTF_8));
            assertThat(replies.poll(5, TimeUnit.SECONDS)).isEqualTo("reply");

            Channel listener = a.createChannel();
            BlockingQueue<String> notifications = new ArrayBlockingQueue<>(1);
            listener.basicConsume(ROUTES.deviceQueue(deviceA), true,
                    (tag, delivery) -> notifications.add(new String(delivery.getBody(), StandardCharsets.UTF_8)),
                    tag -> { });
            serviceChannel().basicPublish(ROUTES.exchange(), NotificationRoutes.device(deviceA), null,
                    "note".getBytes(StandardCharsets.UTF_8));
            assertThat(notifications.poll(5, TimeUnit.SECONDS)).isEqualTo("note");
        }
    }

    @Test
    void consumingAnotherDevicesQueueIsRefused() throws Exception {
        try (Connection a = device(deviceA); Connection b = device(deviceB)) {
            String other = ROUTES.deviceQueue(deviceB);
            List<BrokerAction> attempts = List.of(
                    channel -> consume(channel, other),
                    channel -> channel.basicGet(other, true),
                    channel -> channel.queuePurge(other),
                    channel -> channel.queueDelete(other));
            assertAllRefused("another device's queue", List.of(a), attempts);
            assertThat(serviceChannel().consumerCount(other)).isZero();
        }
    }

    @Test
    void bindingToAnotherWorkspacesRoutingKeyIsRefused() throws Exception {
        String otherWorkspace = NotificationRoutes.workspace(UUID.randomUUID());
        try (Connection a = device(deviceA)) {
            List<BrokerAction> attempts = List.of(
                    channel -> channel.queueBind(ROUTES.deviceQueue(deviceA), ROUTES.exchange(), otherWorkspace),
                    channel -> channel.queueBind(ROUTES.deviceQueue(deviceA), ROUTES.exchange(), "#"),
                    channel -> channel.queueBind(ROUTES.deviceQueue(deviceA), ROUTES.exchange(),
                            NotificationRoutes.device(deviceB)),
                    channel -> channel.exchangeBind(REQUEST_EXCHANGE, ROUTES.exchange(), "#"),
                    channel -> channel.queueUnbind(ROUTES.deviceQueue(deviceA), ROUTES.exchange(),
                            NotificationRoutes.device(deviceA)));
            assertAllRefused("bindings", List.of(a), attempts);
        }
    }

    @Test
    void publishingToTheNotificationExchangeOrIntoQueuesByNameIsRefused() throws Exception {
        try (Connection a = device(deviceA); Connection b = device(deviceB);
             Connection login = factory(LOGIN_USER, LOGIN_PASSWORD).newConnection()) {
            long queued = serviceChannel().messageCount(ROUTES.deviceQueue(deviceB));
            List<BrokerAction> attempts = List.of(
                    channel -> publishConfirmed(channel, ROUTES.exchange(), NotificationRoutes.device(deviceB), null),
                    channel -> publishConfirmed(channel, ROUTES.exchange(), "ws.anything", null),
                    channel -> publishConfirmed(channel, "", ROUTES.deviceQueue(deviceB), null),
                    channel -> publishConfirmed(channel, "", REQUEST_QUEUE, null),
                    channel -> publishConfirmed(channel, "amq.topic", "x", null));
            assertAllRefused("publishing elsewhere than the request exchange", List.of(a, login), attempts);
            assertThat(serviceChannel().messageCount(ROUTES.deviceQueue(deviceB))).isEqualTo(queued);
        }
    }

    @Test
    void declaringQueuesAndExchangesIsRefused() throws Exception {
        try (Connection a = device(deviceA); Connection login = factory(LOGIN_USER, LOGIN_PASSWORD).newConnection()) {
            List<BrokerAction> attempts = List.of(
                    channel -> channel.queueDeclare(),
                    channel -> channel.queueDeclare("reply." + deviceA, false, true, true, null),
                    channel -> channel.queueDeclare(ROUTES.deviceQueue(deviceA), true, false, false, null),
                    channel -> channel.queueDeclare(REQUEST_QUEUE, true, false, false, null),
                    channel -> channel.exchangeDeclare("evil-" + RUN, BuiltinExchangeType.FANOUT),
                    channel -> channel.exchangeDelete(REQUEST_EXCHANGE));
            assertAllRefused("declarations and deletions", List.of(a, login), attempts);
        }
    }

    @Test
    void aForgedUserIdIsRefused() throws Exception {
        try (Connection a = device(deviceA); Connection login = factory(LOGIN_USER, LOGIN_PASSWORD).newConnection()) {
            List<String> forged = List.of(BrokerIdentities.deviceUser(deviceB), "guest", LOGIN_USER);
            int refused = 0;
            int tried = 0;
            for (String user : forged) {
                tried++;
                refused += attempt(a, channel -> publishConfirmed(channel, REQUEST_EXCHANGE, REQUEST_QUEUE, from(user)))
                        == PRECONDITION_FAILED ? 1 : 0;
            }
            for (String user : List.of(BrokerIdentities.deviceUser(deviceA), "guest")) {
                tried++;
                refused += attempt(login, channel -> publishConfirmed(channel, REQUEST_EXCHANGE, REQUEST_QUEUE,
                        from(user))) == PRECONDITION_FAILED ? 1 : 0;
            }
            System.out.printf("broker matrix: forged user_id: %d/%d refused%n", refused, tried);
            assertThat(refused).isEqualTo(tried);
            // Its own user_id passes: what the service then trusts as the publishing device.
            assertThat(attempt(a, channel -> publishConfirmed(channel, REQUEST_EXCHANGE, REQUEST_QUEUE,
                    from(BrokerIdentities.deviceUser(deviceA))))).isZero();
        }
    }

    @Test
    void aTokenForOneDeviceDoesNotLogInAsAnother() throws Exception {
        String tokenOfA = tokens(Duration.ofMinutes(5)).forDevice(deviceA).value();
        try (Connection connection = factory(BrokerIdentities.deviceUser(deviceB), tokenOfA).newConnection()) {
            // The broker's user is the token's subject, whatever name the client gave.
            assertThat(attempt(connection, channel -> publishConfirmed(channel, REQUEST_EXCHANGE, REQUEST_QUEUE,
                    from(BrokerIdentities.deviceUser(deviceB))))).isEqualTo(PRECONDITION_FAILED);
            assertThat(attempt(connection, channel -> consume(channel, ROUTES.deviceQueue(deviceB))))
                    .isEqualTo(ACCESS_REFUSED);
        } catch (IOException e) {
            // Refusing the login outright is as good.
            System.out.println("broker matrix: a token under another device's name: login refused");
        }
    }

    @Test
    void aRevokedDevicesLiveConnectionCanDoNothingOnceItsTokenExpires() throws Exception {
        Duration lifetime = Duration.ofSeconds(3);
        try (Connection a = device(deviceA, lifetime)) {
            assertThat(attempt(a, channel -> publishConfirmed(channel, REQUEST_EXCHANGE, REQUEST_QUEUE,
                    from(BrokerIdentities.deviceUser(deviceA))))).isZero();
            // Revoked: the service issues no fresh token, and deletes the device's queue.
            Thread.sleep(lifetime.toMillis() + 1_500);
            List<BrokerAction> attempts = List.of(
                    channel -> publishConfirmed(channel, REQUEST_EXCHANGE, REQUEST_QUEUE,
                            from(BrokerIdentities.deviceUser(deviceA))),
                    channel -> consume(channel, ROUTES.deviceQueue(deviceA)),
                    channel -> channel.basicGet(ROUTES.deviceQueue(deviceA), true));
            assertAllRefused("expired token on a live connection", List.of(a), attempts);
            System.out.printf("broker matrix: the expired connection is %s%n",
                    a.isOpen() ? "still open (RabbitMQ 3.10 does not close it)" : "closed");
        }
        String expired = new BrokerTokens(keys.getPrivate(), "broker-auth-" + RUN, RESOURCE_SERVER, VHOST,
                REQUEST_EXCHANGE, ROUTES, Duration.ofSeconds(1), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5)))
                .forDevice(deviceA).value();
        try (Connection ignored = factory(BrokerIdentities.deviceUser(deviceA), expired).newConnection()) {
            fail("an expired token logged in");
        } catch (IOException | TimeoutException e) {
            // Refused: expected.
        }
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = new BrokerTokens(generator.generateKeyPair().getPrivate(), "broker-auth-" + RUN, RESOURCE_SERVER,
                VHOST, REQUEST_EXCHANGE, ROUTES, Duration.ofMinutes(5), Clock.systemUTC()).forDevice(deviceA).value();
        try (Connection ignored = factory(BrokerIdentities.deviceUser(deviceA), forged).newConnection()) {
            fail("a token signed with a key the broker does not hold logged in");
        } catch (IOException | TimeoutException e) {
            // Refused: expected.
        }
    }

    @Test
    void aLoginFloodIsContainedByTheLoginUsersConnectionLimit() throws Exception {
        List<Connection> opened = new ArrayList<>();
        int refused = 0;
        int tried = 4 * LOGIN_MAX_CONNECTIONS;
        try {
            for (int i = 0; i < tried; i++) {
                try {
                    opened.add(factory(LOGIN_USER, LOGIN_PASSWORD).newConnection("broker-auth-flood"));
                } catch (IOException | TimeoutException e) {
                    refused++;
                }
            }
            // Refused connections of the login user leave devices and the service alone.
            try (Connection a = device(deviceA)) {
                assertThat(attempt(a, channel -> publishConfirmed(channel, REQUEST_EXCHANGE, REQUEST_QUEUE,
                        from(BrokerIdentities.deviceUser(deviceA))))).isZero();
            }
        } finally {
            for (Connection connection : opened) {
                connection.abort();
            }
        }
        System.out.printf("broker matrix: login flood: %d connections opened, %d/%d refused%n",
                opened.size(), refused, tried);
        assertThat(opened).hasSizeLessThanOrEqualTo(LOGIN_MAX_CONNECTIONS);
        assertThat(refused).isGreaterThanOrEqualTo(tried - LOGIN_MAX_CONNECTIONS);
    }
}
