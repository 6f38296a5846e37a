package org.syncservice.server.transport.amqp;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SigningKeys;

/**
 * What a test class of devices' broker identities brings to the machine's RabbitMQ (JWT backend,
 * scripts/rabbitmq-auth-setup.sh): a virtual host, a login-only user with the permissions the script
 * gives it, and a signing key under a key id of its own ({@code rabbitmqctl add_uaa_key}); then the
 * service started on them with tokens living 5 s, and clients as an application configures them.
 * {@link #close()} removes all of it.
 */
final class JwtBrokerRun implements AutoCloseable {
    static final String REQUEST_EXCHANGE = "syncservice.rpc";
    static final Duration TOKEN_LIFETIME = Duration.ofSeconds(5);
    static final String PASSWORD = "a password of the test";

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String vhost;
    final String loginUser;
    final String loginPassword = "login-" + run;
    private final String name;
    private final SigningKeys keys;
    private RunningService service;

    private JwtBrokerRun(String name, SigningKeys keys) {
        this.name = name;
        this.vhost = name + "-" + run;
        this.loginUser = name + "-login-" + run;
        this.keys = keys;
    }

    /** Sets up the broker side; {@code name} prefixes everything it makes. */
    static JwtBrokerRun create(String name) throws Exception {
        BrokerCli.requireOAuth2Backend();
        JwtBrokerRun run = new JwtBrokerRun(name, SigningKeys.create());
        BrokerCli.run("add_uaa_key", run.keyId(), "--pem=" + run.keys.publicKeyPem());
        BrokerCli.run("add_vhost", run.vhost);
        BrokerCli.run("set_permissions", "-p", run.vhost, "guest", ".*", ".*", ".*");
        BrokerCli.addUser(run.loginUser, run.loginPassword);
        // As scripts/rabbitmq-auth-setup.sh sets them.
        BrokerCli.run("set_permissions", "-p", run.vhost, run.loginUser, "^$", "^syncservice\\.rpc$", "^$");
        return run;
    }

    /** Starts the service with broker tokens on, and {@code more} config keys. */
    RunningService start(Map<String, String> more) throws Exception {
        Map<String, String> values = new HashMap<>(Map.of(
                "amqp.virtual-host", vhost,
                "amqp.request-exchange", REQUEST_EXCHANGE,
                "auth.token-cache-ttl", TOKEN_LIFETIME.toSeconds() + "s",
                "auth.require-broker-user-id", "true",
                "auth.broker-login-user", loginUser,
                "auth.broker-signing-key-file", keys.privateKeyFile().toString(),
                "auth.broker-signing-key-id", keyId()));
        values.putAll(more);
        service = RunningService.start(values);
        return service;
    }

    /** What an application sets: the broker, and the login-only user, nothing of the device. */
    SyncClientOptions options() {
        return service.clientOptions().toBuilder()
                .virtualHost(vhost)
                // A broker user that may do nothing in this virtual host: whatever works, works under
                // the identities the SDK switched to.
                .username("nobody-" + run).password("none")
                .loginUser(loginUser, loginPassword)
                .callTimeout(Duration.ofSeconds(10))
                .build();
    }

    CreatedUser newUser(String email) {
        return service.service().components().accounts().createUser(email, "Test", PASSWORD, 1L << 30);
    }

    static LoginResponse login(SyncClient client, String email) {
        return client.login(LoginRequest.newBuilder().setEmail(email).setPassword(PASSWORD)
                .setDeviceName("device").build());
    }

    static String email() {
        return "identity-" + UUID.randomUUID() + "@example.com";
    }

    /**
     * A raw connection under a device's broker token; with {@code reconnecting} amqp-client opens
     * it again (with the same token) whenever it is closed, every 300 ms.
     */
    Connection connectWith(String brokerToken, boolean reconnecting) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(service.config().amqp().host());
        factory.setPort(service.config().amqp().port());
        factory.setVirtualHost(vhost);
        factory.setUsername("");
        factory.setPassword(brokerToken);
        factory.setAutomaticRecoveryEnabled(reconnecting);
        factory.setNetworkRecoveryInterval(300);
        // Refused reconnections are expected where it reconnects; they need no stack trace each.
        factory.setExceptionHandler(new com.rabbitmq.client.impl.ForgivingExceptionHandler() {
            @Override
            protected void log(String message, Throwable e) {
            }
        });
        return factory.newConnection(name + "-test");
    }

    private String keyId() {
        return name + "-" + run;
    }

    @Override
    public void close() throws Exception {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            BrokerCli.runQuietly("delete_user", loginUser);
            BrokerCli.runQuietly("delete_vhost", vhost);
            keys.close();
        }
    }
}
