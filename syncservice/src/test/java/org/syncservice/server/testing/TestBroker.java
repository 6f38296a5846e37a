package org.syncservice.server.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Names of its own on the machine's RabbitMQ (a request queue and a notification exchange no other
 * run uses), removed on close. The broker is found through SYNCSERVICE_TEST_AMQP_HOST / _PORT
 * (defaults 127.0.0.1:5672, guest/guest).
 */
public final class TestBroker implements AutoCloseable {
    private final String prefix = "test." + UUID.randomUUID();
    private final Connection connection;

    private TestBroker(Connection connection) {
        this.connection = connection;
    }

    public static TestBroker create() throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host());
        factory.setPort(port());
        factory.setUsername("guest");
        factory.setPassword("guest");
        return new TestBroker(factory.newConnection("syncservice-test"));
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
        try (Channel channel = connection.createChannel()) {
            channel.queueDelete(requestQueue());
            channel.exchangeDelete(notificationExchange());
        } catch (TimeoutException e) {
            throw new IOException(e);
        } finally {
            connection.close();
        }
    }
}
