package org.syncservice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.syncservice.server.core.BatchObserver;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.server.rpc.handlers.NotificationWire;
import org.syncservice.server.store.jdbc.JdbcOutboxStore;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.transport.amqp.AmqpConnector;
import org.syncservice.server.transport.amqp.AmqpDeviceQueues;
import org.syncservice.server.transport.amqp.AmqpNotificationSink;

/** The publisher against the real PostgreSQL and RabbitMQ: nothing left behind, nothing published twice. */
class OutboxPublisherTest {

    private static OutboxPublisher publisher(RunningService service, AmqpDeviceQueues queues, String name,
                                             int batchSize) {
        var base = service.config().notifications();
        var config = new org.syncservice.server.config.NotificationConfig(base.deviceQueueTtl(),
                base.deviceQueueMaxLength(), base.maxItemsPerNotification(), base.outboxPollInterval(), batchSize,
                base.outboxRetention(), base.persistent(), base.outboxMaxAttempts(), base.maxNotificationBytes());
        AmqpConnector connector = new AmqpConnector(service.config().amqp());
        return new OutboxPublisher(new JdbcOutboxStore(service.database().dataSource()),
                new AmqpNotificationSink(connector, service.config().amqp().notificationExchange(), name,
                        base.persistent()),
                queues, new NotificationWire(base.maxNotificationBytes()), config, Clock.systemUTC(), BatchObserver.NONE, name);
    }

    private static AmqpDeviceQueues deviceQueues(RunningService service) throws Exception {
        AmqpDeviceQueues queues = new AmqpDeviceQueues(new AmqpConnector(service.config().amqp()),
                new NotificationRoutes(service.config().amqp().notificationExchange()),
                service.config().notifications(), "test queues");
        queues.start();
        return queues;
    }

    private static long pending(RunningService service) throws SQLException {
        try (Connection c = service.database().dataSource().getConnection();
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM outbox WHERE published_at IS NULL");
             ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The pending rows once they are all marked, or after {@code wait} has passed. */
    private static long pendingWithin(RunningService service, java.time.Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        long pending = pending(service);
        while (pending > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            pending = pending(service);
        }
        return pending;
    }

    @Test
    void rowsLeftUnpublishedGoOutWhenAPublisherStartsAgain() throws Exception {
        try (RunningService service = RunningService.start()) {
            Devices devices = new Devices(service);
            Devices.User ann = devices.newUser("Ann");
            try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
                String queue = phone.client().subscribeNotifications().getQueue();
                // The instance's publisher stops, as in a crash or a long broker outage; commits go on.
                service.service().publisher().close();
                String workspace = laptop.defaultWorkspace();
                laptop.newFolder(workspace, "A", "while-down-1");
                laptop.newFolder(workspace, "B", "while-down-2");
                assertThat(pending(service)).isEqualTo(2);

                try (AmqpDeviceQueues queues = deviceQueues(service);
                     OutboxPublisher restarted = publisher(service, queues, "restarted", 100)) {
                    restarted.start();
                    Channel channel = service.broker().connection().createChannel();
                    assertThat(Devices.nextNotification(channel, queue).getCommit().getRequestId()).isEqualTo("while-down-1");
                    assertThat(Devices.nextNotification(channel, queue).getCommit().getRequestId()).isEqualTo("while-down-2");
                }
                assertThat(pending(service)).isZero();
            }
        }
    }

    @Test
    void twoPublishersOnOneDatabaseNeverPublishTheSameRowTwice() throws Exception {
        int rows = 400;
        try (RunningService service = RunningService.start()) {
            service.service().publisher().close();
            UUID user = UUID.randomUUID();
            Channel channel = service.broker().connection().createChannel();
            String queue = channel.queueDeclare("", false, true, true, null).getQueue();
            channel.queueBind(queue, service.config().amqp().notificationExchange(), NotificationRoutes.user(user));
            try (Connection c = service.database().dataSource().getConnection();
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO outbox (kind, workspace_id, user_id) VALUES ('WORKSPACE_RENAMED', ?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setObject(2, user);
                    insert.addBatch();
                }
                insert.executeBatch();
            }

            Map<String, Integer> deliveries = new HashMap<>();
            try (AmqpDeviceQueues queues = deviceQueues(service);
                 OutboxPublisher first = publisher(service, queues, "first", 7);
                 OutboxPublisher second = publisher(service, queues, "second", 7)) {
                first.start();
                second.start();
                while (deliveries.size() < rows) {
                    GetResponse message = Devices.next(channel, queue);
                    String id = Notification.parseFrom(message.getBody()).getNotificationId();
                    deliveries.merge(id, 1, Integer::sum);
                }
                // A batch is marked once its confirms arrived, so its messages can reach the queue
                // a moment before its transaction commits.
                assertThat(pendingWithin(service, java.time.Duration.ofSeconds(10))).isZero();
            }
            // Both publishers are closed: whatever either sent is in the queue by now.
            GetResponse extra;
            while ((extra = channel.basicGet(queue, true)) != null) {
                deliveries.merge(Notification.parseFrom(extra.getBody()).getNotificationId(), 1, Integer::sum);
            }
            assertThat(deliveries).hasSize(rows);
            assertThat(deliveries.values()).containsOnly(1);
        }
    }
}
