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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.syncservice.server.core.BatchObserver;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.server.rpc.wire.NotificationWire;
import org.syncservice.server.store.jdbc.JdbcOutboxStore;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.transport.amqp.AmqpConnector;
import org.syncservice.server.transport.amqp.AmqpDeviceQueues;
import org.syncservice.server.transport.amqp.AmqpNotificationSink;

/** The publisher against the real PostgreSQL and RabbitMQ: nothing left behind, nothing published twice. */
class OutboxPublisherTest {

    private static OutboxPublisher publisher(RunningService service, AmqpDeviceQueues queues, String name,
                                             int batchSize) {
        return publisher(service, queues, name, batchSize, sink -> sink);
    }

    private static OutboxPublisher publisher(RunningService service, AmqpDeviceQueues queues, String name,
                                             int batchSize, UnaryOperator<NotificationSink> decorate) {
        var base = service.config().notifications();
        var config = new org.syncservice.server.config.NotificationConfig(base.deviceQueueTtl(),
                base.deviceQueueMaxLength(), base.maxItemsPerNotification(), base.outboxPollInterval(), batchSize,
                base.outboxRetention(), base.persistent(), base.outboxMaxAttempts(), base.maxNotificationBytes());
        AmqpConnector connector = new AmqpConnector(service.config().amqp());
        return new OutboxPublisher(new JdbcOutboxStore(service.database().dataSource()),
                decorate.apply(new AmqpNotificationSink(connector, service.config().amqp().notificationExchange(),
                        name, base.persistent())),
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

    /** A broker that takes its time to confirm: each batch waits until the test lets it go on. */
    private static final class SlowConfirms implements NotificationSink {
        private final NotificationSink sink;
        final CountDownLatch waiting = new CountDownLatch(1);
        final CountDownLatch confirm = new CountDownLatch(1);

        SlowConfirms(NotificationSink sink) {
            this.sink = sink;
        }

        @Override
        public List<Refused> publishConfirmed(List<OutboundNotification> notifications) throws Exception {
            List<Refused> refused = sink.publishConfirmed(notifications);
            waiting.countDown();
            confirm.await(1, TimeUnit.MINUTES);
            return refused;
        }

        @Override
        public void start() throws Exception {
            sink.start();
        }

        @Override
        public boolean isHealthy() {
            return sink.isHealthy();
        }

        @Override
        public void close() {
            confirm.countDown();
            sink.close();
        }
    }

    @Test
    void noDatabaseTransactionIsOpenWhileThePublisherWaitsForTheBrokersConfirms() throws Exception {
        try (RunningService service = RunningService.start()) {
            Devices devices = new Devices(service);
            Devices.User ann = devices.newUser("Ann");
            try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
                String queue = phone.client().subscribeNotifications().getQueue();
                service.service().publisher().close();
                laptop.newFolder(laptop.defaultWorkspace(), "A", "while-slow-1");
                laptop.newFolder(laptop.defaultWorkspace(), "B", "while-slow-2");

                SlowConfirms[] sink = new SlowConfirms[1];
                try (AmqpDeviceQueues queues = deviceQueues(service);
                     OutboxPublisher slow = publisher(service, queues, "slow", 100, s -> sink[0] = new SlowConfirms(s))) {
                    slow.start();
                    assertThat(sink[0].waiting.await(20, TimeUnit.SECONDS)).as("the publisher reached the broker").isTrue();

                    assertThat(sessionsInTransaction(service)).as("sessions idle in a transaction meanwhile").isEmpty();
                    assertThat(leased(service)).as("rows leased by the waiting publisher").isEqualTo(2);
                    // Commits go on meanwhile, and their rows wait for the next pass.
                    laptop.newFolder(laptop.defaultWorkspace(), "C", "while-slow-3");

                    sink[0].confirm.countDown();
                    Channel channel = service.broker().connection().createChannel();
                    assertThat(Devices.nextNotification(channel, queue).getCommit().getRequestId()).isEqualTo("while-slow-1");
                    assertThat(Devices.nextNotification(channel, queue).getCommit().getRequestId()).isEqualTo("while-slow-2");
                    assertThat(Devices.nextNotification(channel, queue).getCommit().getRequestId()).isEqualTo("while-slow-3");
                    assertThat(pendingWithin(service, java.time.Duration.ofSeconds(10))).isZero();
                }
            }
        }
    }

    /** The other sessions of the service's database that sit in an open transaction, by what they ran last. */
    private static List<String> sessionsInTransaction(RunningService service) throws SQLException {
        try (Connection c = service.database().dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT state || ': ' || query FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                     + " AND state LIKE 'idle in transaction%'");
             ResultSet rows = select.executeQuery()) {
            List<String> sessions = new java.util.ArrayList<>();
            while (rows.next()) {
                sessions.add(rows.getString(1));
            }
            return sessions;
        }
    }

    private static long leased(RunningService service) throws SQLException {
        try (Connection c = service.database().dataSource().getConnection();
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM outbox WHERE published_at IS NULL"
                     + " AND claimed_until > now()");
             ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
