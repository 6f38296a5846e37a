package org.syncservice.server.notify;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.syncservice.server.testing.TestBroker;

/**
 * Takes push away from a device for as long as it is open: deletes the device queue (the broker
 * cancels the device's consumer) and holds an exclusive queue of the same name, so that the
 * service cannot declare it again and subscribe_notifications fails. Closing gives it back.
 */
final class PushOutage implements AutoCloseable {
    private final Connection connection;

    private PushOutage(Connection connection) {
        this.connection = connection;
    }

    static PushOutage begin(String deviceQueue) throws IOException, TimeoutException, InterruptedException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(TestBroker.host());
        factory.setPort(TestBroker.port());
        Connection connection = factory.newConnection("push-outage");
        for (int attempt = 0; attempt < 200; attempt++) {
            Channel channel = connection.createChannel();
            try {
                channel.queueDelete(deviceQueue);
                // The listener may have subscribed again in between: then the declare fails and we repeat.
                channel.queueDeclare(deviceQueue, false, true, true, null);
                return new PushOutage(connection);
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        connection.close();
        throw new AssertionError("could not take the queue " + deviceQueue + " away");
    }

    @Override
    public void close() throws IOException {
        if (connection.isOpen()) {
            connection.close();
        }
    }
}
