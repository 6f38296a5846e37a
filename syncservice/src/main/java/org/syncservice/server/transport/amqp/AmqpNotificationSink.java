package org.syncservice.server.transport.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
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
 * notification id. A notification counts as published only once the broker confirmed it; one it
 * refuses (a negative confirm, or a channel closed over it) is reported by its place in the batch,
 * so the others still count.
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
    private BatchConfirms confirms;
    private String lastCloseReason = "";

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
    public List<Refused> publishConfirmed(List<OutboundNotification> notifications) throws Exception {
        if (notifications.isEmpty()) {
            return List.of();
        }
        List<Integer> all = new ArrayList<>(notifications.size());
        for (int i = 0; i < notifications.size(); i++) {
            all.add(i);
        }
        List<Refused> refused = new ArrayList<>();
        List<Integer> unanswered = publishTracked(notifications, all, refused);
        if (unanswered.isEmpty()) {
            return refused;
        }
        // The broker closed the channel over something in the batch and left these unanswered: one
        // at a time, each on a channel of its own, to find which one it was.
        List<Refused> closedOver = new ArrayList<>();
        for (int index : unanswered) {
            if (!publishTracked(notifications, List.of(index), refused).isEmpty()) {
                closedOver.add(new Refused(index, "the broker closed the channel: " + lastCloseReason));
            }
        }
        if (closedOver.size() > 1 && closedOver.size() == unanswered.size()) {
            // Every one of several fails alike: the exchange or the permissions, not the notifications.
            throw new IOException("the broker closes every publishing channel: " + lastCloseReason);
        }
        refused.addAll(closedOver);
        return refused;
    }

    /**
     * Publishes the notifications at {@code indices} on the current channel and waits for their
     * confirms, adding the negatively confirmed ones to {@code refused}. Returns the ones left
     * unanswered because the broker closed the channel (the connection still up), or because one
     * of them could not be framed (then it and those after it).
     */
    private List<Integer> publishTracked(List<OutboundNotification> notifications, List<Integer> indices,
                                         List<Refused> refused) throws IOException, TimeoutException,
            InterruptedException {
        Channel ch = channel();
        BatchConfirms confirms = this.confirms;
        confirms.reset();
        List<Integer> unpublished = new ArrayList<>();
        boolean countOff = false;
        for (int i = 0; i < indices.size(); i++) {
            int index = indices.get(i);
            OutboundNotification notification = notifications.get(index);
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .contentType(AmqpRpcServer.CONTENT_TYPE)
                    .type(NOTIFICATION_TYPE)
                    .messageId(notification.notificationId())
                    // The broker refuses a user_id other than the connection's own, so a client that
                    // checks it knows the notification came from the service (protocol.md 2.6).
                    .userId(connector.user())
                    .deliveryMode(persistent ? 2 : 1)
                    .build();
            long sequenceNumber = ch.getNextPublishSeqNo();
            try {
                confirms.expect(sequenceNumber, index);
                ch.basicPublish(exchange, notification.routingKey(), false, properties, notification.body());
            } catch (IllegalArgumentException e) {
                // The client library would not frame it (a routing key over 255 bytes): nothing
                // reached the broker, but the channel counted a publish, so the broker's confirms
                // of any later one would not match. Nothing more goes on this channel.
                confirms.forget(sequenceNumber);
                countOff = true;
                if (indices.size() == 1) {
                    refused.add(new Refused(index, "cannot be published: " + e.getMessage()));
                } else {
                    unpublished.addAll(indices.subList(i, indices.size()));
                }
                break;
            } catch (IOException | ShutdownSignalException e) {
                if (ch.isOpen()) {
                    discard(ch);
                    throw e;
                }
                confirms.forget(sequenceNumber);
                unpublished.addAll(indices.subList(i, indices.size()));
                break;
            }
        }
        boolean answered = confirms.await(ch, System.nanoTime() + CONFIRM_TIMEOUT.toNanos());
        for (int index : confirms.nacked()) {
            refused.add(new Refused(index, "the broker refused it (negative confirm)"));
        }
        if (answered && unpublished.isEmpty() && !countOff) {
            return List.of();
        }
        if (answered && countOff) {
            discard(ch);
            return unpublished;
        }
        if (ch.isOpen()) {
            discard(ch);
            throw new TimeoutException("the broker did not confirm within " + CONFIRM_TIMEOUT);
        }
        ShutdownSignalException reason = ch.getCloseReason();
        Connection current = connection;
        discard(ch);
        if (reason == null || reason.isHardError() || current == null || !current.isOpen()) {
            throw new IOException("the broker connection closed", reason);
        }
        lastCloseReason = reason.getMessage();
        List<Integer> unanswered = new ArrayList<>(confirms.outstanding());
        unanswered.addAll(unpublished);
        return unanswered;
    }

    /**
     * The current confirm-mode channel, or a fresh one. A fresh channel declares the exchange
     * again (a no-op when it exists), so an exchange deleted on the broker comes back instead of
     * failing every notification.
     */
    private Channel channel() throws IOException {
        Connection current = connection;
        if (current == null) {
            throw new IOException("not started");
        }
        if (channel == null || !channel.isOpen()) {
            Channel fresh = current.createChannel();
            fresh.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
            fresh.confirmSelect();
            BatchConfirms listener = new BatchConfirms();
            fresh.addConfirmListener(listener);
            fresh.addShutdownListener(signal -> listener.wake());
            confirms = listener;
            channel = fresh;
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
