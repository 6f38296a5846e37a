package org.syncservice.server.transport.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.syncservice.server.config.NotificationConfig;
import org.syncservice.server.core.Lifecycle;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.notify.DeviceQueues;
import org.syncservice.server.notify.NotificationRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device queues on RabbitMQ: durable classic queues named {@code <exchange>.device.<device_id>}
 * that expire after {@code notifications.device-queue-ttl} without consumers and keep at most
 * {@code notifications.device-queue-max-length} messages, dropping the oldest. Each operation uses
 * a short-lived channel of its own, because a refused declaration closes the channel it ran on.
 * Expiry and length limit are RabbitMQ extensions: on another broker (Qpid Broker-J in the embedded
 * mode, which refuses the declaration outright) the queues are plain durable queues.
 *
 * <p>Thread-safe.
 */
public final class AmqpDeviceQueues implements DeviceQueues, Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(AmqpDeviceQueues.class);
    private static final int PRECONDITION_FAILED = 406;
    private static final int NOT_FOUND = 404;

    private final AmqpConnector connector;
    private final NotificationRoutes routes;
    private final Map<String, Object> rabbitMqArguments;
    private final String connectionName;
    private volatile Connection connection;
    private volatile Map<String, Object> arguments = Map.of();

    public AmqpDeviceQueues(AmqpConnector connector, NotificationRoutes routes, NotificationConfig config,
                            String connectionName) {
        this.connector = connector;
        this.routes = routes;
        this.rabbitMqArguments = Map.of(
                "x-expires", config.deviceQueueTtl().toMillis(),
                "x-max-length", config.deviceQueueMaxLength(),
                "x-overflow", "drop-head");
        this.connectionName = connectionName;
    }

    @Override
    public void start() throws IOException, TimeoutException {
        connection = connector.open(connectionName, null);
        Object product = connection.getServerProperties().get("product");
        if (product != null && product.toString().equals("RabbitMQ")) {
            arguments = rabbitMqArguments;
        } else {
            log.info("the broker ({}) is not RabbitMQ: device queues get no expiry and no length limit", product);
        }
    }

    @Override
    public boolean isHealthy() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    @Override
    public String declareAndBind(UUID deviceId, Collection<String> routingKeys) {
        String queue = routes.deviceQueue(deviceId);
        try {
            try {
                declare(queue);
            } catch (IOException e) {
                if (!isPreconditionFailed(e)) {
                    throw e;
                }
                // Declared earlier with other limits (the config changed): start it afresh. What it
                // held is lost, which the device's catch-up with get_changes covers.
                log.info("re-creating notification queue {} with the configured limits", queue);
                delete(deviceId);
                declare(queue);
            }
            try (Channel channel = channel()) {
                for (String key : routingKeys) {
                    channel.queueBind(queue, routes.exchange(), key);
                }
            }
            return queue;
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void bindIfExists(UUID deviceId, String routingKey) {
        changeBinding(deviceId, routingKey, true);
    }

    @Override
    public void unbind(UUID deviceId, String routingKey) {
        changeBinding(deviceId, routingKey, false);
    }

    /** A passive declaration first: binding a queue that is gone would fail the channel (404). */
    private void changeBinding(UUID deviceId, String routingKey, boolean bind) {
        String queue = routes.deviceQueue(deviceId);
        try {
            try (Channel channel = channel()) {
                channel.queueDeclarePassive(queue);
            } catch (IOException e) {
                if (isNotFound(e)) {
                    return;
                }
                throw e;
            }
            try (Channel channel = channel()) {
                if (bind) {
                    channel.queueBind(queue, routes.exchange(), routingKey);
                } else {
                    channel.queueUnbind(queue, routes.exchange(), routingKey);
                }
            }
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            throw unavailable(e);
        }
    }

    private static boolean isNotFound(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close
                && close.getReplyCode() == NOT_FOUND;
    }

    @Override
    public void delete(UUID deviceId) {
        try (Channel channel = channel()) {
            channel.queueDelete(routes.deviceQueue(deviceId));
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            throw unavailable(e);
        }
    }

    private void declare(String queue) throws IOException, TimeoutException {
        try (Channel channel = channel()) {
            channel.queueDeclare(queue, true, false, false, arguments);
        }
    }

    private Channel channel() throws IOException {
        Connection current = connection;
        if (current == null || !current.isOpen()) {
            throw new IOException("the broker connection is down");
        }
        return current.createChannel();
    }

    private static boolean isPreconditionFailed(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close
                && close.getReplyCode() == PRECONDITION_FAILED;
    }

    private static ServiceException unavailable(Exception e) {
        return ServiceException.unavailable("the broker is unavailable; retry later", java.time.Duration.ofSeconds(1), e);
    }

    @Override
    public void close() {
        Connection current = connection;
        connection = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException | RuntimeException e) {
                log.debug("closing the queue management connection failed: {}", e.toString());
            }
        }
    }
}
