package org.syncservice.server.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Names of its own on a RabbitMQ (a request queue and a notification exchange no other run uses),
 * removed on close. The machine's broker is found through SYNCSERVICE_TEST_AMQP_HOST / _PORT
 * (defaults 127.0.0.1:5672, guest/guest); {@link #create(String, int)} names another (a node of a
 * {@link RabbitCluster}).
 */
public final class TestBroker implements AutoCloseable {
    private final String prefix = "test." + UUID.randomUUID();
    private final String brokerHost;
    private final int brokerPort;
    private final Connection connection;

    private TestBroker(String brokerHost, int brokerPort, Connection connection) {
        this.brokerHost = brokerHost;
        this.brokerPort = brokerPort;
        this.connection = connection;
    }

    public static TestBroker create() throws IOException, TimeoutException {
        return create(host(), port());
    }

    /** On the broker at {@code host}:{@code port}, as guest/guest. */
    public static TestBroker create(String host, int port) throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername("guest");
        factory.setPassword("guest");
        return new TestBroker(host, port, factory.newConnection("syncservice-test"));
    }

    /** Where this broker is. */
    public String brokerHost() {
        return brokerHost;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public static String host() {
        String host = System.getenv("SYNCSERVICE_TEST_AMQP_HOST");
        return host == null || host.isBlank() ? "127.0.0.1" : host;
    }

    public static int port() {
        String port = System.getenv("SYNCSERVICE_TEST_AMQP_PORT");
        return port == null || port.isBlank() ? 5672 : Integer.parseInt(port);
    }

    public String requestQueue() {
        return prefix + ".requests";
    }

    public String notificationExchange() {
        return prefix + ".notifications";
    }

    /** A connection for the test's own use (raw publishing, inspecting queues); closed with the broker. */
    public Connection connection() {
        return connection;
    }

    @Override
    public void close() throws IOException {
        // A cluster node that went away and came back may have closed this connection: the names
        // are removed over a fresh one.
        Connection current = connection.isOpen() ? connection : reconnect();
        try (Channel channel = current.createChannel()) {
            channel.queueDelete(requestQueue());
            channel.exchangeDelete(notificationExchange());
        } catch (TimeoutException e) {
            throw new IOException(e);
        } finally {
            if (current != connection) {
                current.abort();
            }
            connection.abort();
        }
    }

    private Connection reconnect() throws IOException {
        try {
            return create(brokerHost, brokerPort).connection;
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }
}
