package org.syncservice.server.transport.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** What the broker-level tests try at the broker, and the reply code it answered. */
final class BrokerAttempts {
    static final int ACCESS_REFUSED = 403;
    static final int PRECONDITION_FAILED = 406;

    private BrokerAttempts() {
    }

    interface BrokerAction {
        void run(Channel channel) throws Exception;
    }

    /** Runs the action on a fresh channel and returns the broker's reply code, 0 when it was allowed. */
    static int attempt(Connection connection, BrokerAction action) throws Exception {
        Channel channel = connection.createChannel();
        try {
            action.run(channel);
            if (channel.isOpen()) {
                channel.close();
            }
            return 0;
        } catch (IOException | ShutdownSignalException e) {
            return replyCode(e);
        }
    }

    static int replyCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException signal) {
                Object reason = signal.getReason();
                if (reason instanceof AMQP.Channel.Close close) {
                    return close.getReplyCode();
                }
                if (reason instanceof AMQP.Connection.Close close) {
                    return close.getReplyCode();
                }
            }
        }
        throw new AssertionError("not a refusal by the broker", e);
    }

    /** Publishes with confirms, so that a refusal (which closes the channel) is seen. */
    static void publishConfirmed(Channel channel, String exchange, String routingKey,
                                 AMQP.BasicProperties properties) throws Exception {
        channel.confirmSelect();
        channel.basicPublish(exchange, routingKey, properties, "x".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
    }

    static void consume(Channel channel, String queue) throws IOException {
        channel.basicConsume(queue, true, (tag, delivery) -> { }, tag -> { });
    }
}
