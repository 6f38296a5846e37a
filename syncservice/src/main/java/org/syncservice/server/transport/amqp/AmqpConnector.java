package org.syncservice.server.transport.amqp;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.syncservice.server.config.AmqpConfig;

/**
 * Opens broker connections from the configuration, with automatic recovery (connection,
 * channels, declared topology and consumers come back by themselves after the broker or the
 * network does). With TLS, the broker's certificate and host name are verified against the JVM's
 * trust store: there is no trust-everything mode. Thread-safe.
 */
public final class AmqpConnector {
    private final AmqpConfig config;

    public AmqpConnector(AmqpConfig config) {
        this.config = config;
    }

    /**
     * @param name shown in the broker's connection list, so an operator can tell instances apart
     * @param consumerExecutor runs consumer callbacks; null for the client library's default
     */
    public Connection open(String name, ExecutorService consumerExecutor) throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(config.host());
        factory.setPort(config.port());
        factory.setVirtualHost(config.virtualHost());
        factory.setUsername(config.user());
        factory.setPassword(config.password().reveal());
        factory.setRequestedHeartbeat((int) config.heartbeat().toSeconds());
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(config.recoveryInterval().toMillis());
        if (config.tls()) {
            try {
                factory.useSslProtocol(SSLContext.getDefault());
            } catch (NoSuchAlgorithmException e) {
                throw new IOException("TLS is not available in this JVM", e);
            }
            factory.enableHostnameVerification();
        }
        if (consumerExecutor != null) {
            factory.setSharedExecutor(consumerExecutor);
        }
        return factory.newConnection(name);
    }

    /**
     * The broker user this connector logs in as: the AMQP {@code user_id} its publishes may carry,
     * which RabbitMQ checks against the connection's user.
     */
    public String user() {
        return config.user();
    }

    /** Where this connector connects, for log lines (no credentials). */
    public String describe() {
        return (config.tls() ? "amqps://" : "amqp://") + config.host() + ":" + config.port()
                + (config.virtualHost().startsWith("/") ? "" : "/") + config.virtualHost();
    }
}
