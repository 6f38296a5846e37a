package org.syncservice.server.transport.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.syncservice.server.notify.NotificationSink;
import org.syncservice.server.notify.OutboundNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes notifications to the topic exchange on a connection and a confirm-mode channel of its
 * own (request handling never waits behind it): persistent or not ({@code notifications.persistent}),
 * {@code application/x-protobuf}, type {@code syncservice.v1.Notification}, {@code message_id} = the
 * notification id. A batch counts as published only when the broker confirmed every message of it.
 *
 * <p>Thread-safety: used by one publisher thread; {@link #isHealthy()} from any thread.
 */
public final class AmqpNotificationSink implements NotificationSink {
    private static final Logger log = LoggerFactory.getLogger(AmqpNotificationSink.class);
    static final String NOTIFICATION_TYPE = "syncservice.v1.Notification";
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private final AmqpConnector connector;
    private final String exchange;
    private final String connectionName;
    private final boolean persistent;
    private volatile Connection connection;
    private Channel channel;

    /** @param persistent whether the broker writes notifications to disk (notifications.persistent) */
    public AmqpNotificationSink(AmqpConnector connector, String exchange, String connectionName, boolean persistent) {
        this.persistent = persistent;
        this.connector = connector;
        this.exchange = exchange;
        this.connectionName = connectionName;
    }

    @Override
    public void start() throws IOException, TimeoutException {
        connection = connector.open(connectionName, null);
        try (Channel setup = connection.createChannel()) {
            setup.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        }
    }

    @Override
    public boolean isHealthy() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    @Override
    public void publishConfirmed(List<OutboundNotification> notifications) throws Exception {
        if (notifications.isEmpty()) {
            return;
        }
        Channel ch = channel();
        try {
            for (OutboundNotification notification : notifications) {
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                        .contentType(AmqpRpcServer.CONTENT_TYPE)
                        .type(NOTIFICATION_TYPE)
                        .messageId(notification.notificationId())
                        .deliveryMode(persistent ? 2 : 1)
                        .build();
                ch.basicPublish(exchange, notification.routingKey(), false, properties, notification.body());
            }
            // Closes the channel on a nack or a timeout; the next batch opens a fresh one.
            ch.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
        } catch (Exception e) {
            discard(ch);
            throw e;
        }
    }

    private Channel channel() throws IOException {
        Connection current = connection;
        if (current == null) {
            throw new IOException("not started");
        }
        if (channel == null || !channel.isOpen()) {
            channel = current.createChannel();
            channel.confirmSelect();
        }
        return channel;
    }

    private void discard(Channel ch) {
        channel = null;
        try {
            if (ch.isOpen()) {
                ch.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("closing a failed publishing channel: {}", e.toString());
        }
    }

    @Override
    public void close() {
        Connection current = connection;
        connection = null;
        channel = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException | RuntimeException e) {
                log.debug("closing the publishing connection failed: {}", e.toString());
            }
        }
    }
}
