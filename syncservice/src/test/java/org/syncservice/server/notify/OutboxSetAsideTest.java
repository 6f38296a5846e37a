package org.syncservice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.server.testing.InProcessAdmin;
import org.syncservice.server.testing.RunningService;

/**
 * A notification the broker refuses (really: a queue bound to its routing key that rejects every
 * message, so the broker answers with a negative confirm) or that cannot be rebuilt is set aside
 * after notifications.outbox-max-attempts, never holds up the others, shows in status and goes out
 * when replayed.
 */
class OutboxSetAsideTest {
    private static final int MAX_ATTEMPTS = 3;
    private static RunningService service;
    private static Devices devices;
    private static InProcessAdmin admin;

    @BeforeAll
    static void start() throws Exception {
        int httpPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            httpPort = socket.getLocalPort();
        }
        service = RunningService.start(Map.of("notifications.outbox-max-attempts", Integer.toString(MAX_ATTEMPTS),
                "notifications.outbox-poll-interval", "50ms", "http.port", Integer.toString(httpPort)));
        devices = new Devices(service);
        admin = new InProcessAdmin(service.service().components());
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    /** A queue that takes nothing and says so: every message routed to it gets a negative confirm. */
    private static String refuseEverythingRoutedTo(Channel channel, String routingKey) throws Exception {
        String queue = channel.queueDeclare("", false, true, true,
                Map.of("x-max-length", 0, "x-overflow", "reject-publish")).getQueue();
        channel.queueBind(queue, service.config().amqp().notificationExchange(), routingKey);
        return queue;
    }

    private record OutboxRow(long outboxId, int attempts, boolean setAside, boolean published, String lastError) {
    }

    private static OutboxRow row(String where, Object parameter) throws SQLException {
        try (Connection c = service.database().dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT outbox_id, attempts, set_aside_at IS NOT NULL,"
                     + " published_at IS NOT NULL, last_error FROM outbox WHERE " + where)) {
            select.setObject(1, parameter);
            try (ResultSet r = select.executeQuery()) {
                assertThat(r.next()).as("an outbox row where %s", where).isTrue();
                return new OutboxRow(r.getLong(1), r.getInt(2), r.getBoolean(3), r.getBoolean(4), r.getString(5));
            }
        }
    }

    private static OutboxRow awaitSetAside(String where, Object parameter) throws Exception {
        long deadline = System.nanoTime() + Devices.PATIENCE.toNanos();
        OutboxRow row = row(where, parameter);
        while (!row.setAside() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            row = row(where, parameter);
        }
        return row;
    }

    @Test
    void aRowTheBrokerRefusesIsSetAsideWhileLaterRowsAreDeliveredAndGoesOutWhenReplayed() throws Exception {
        long setAsideBefore = service.service().components().outbox().setAsideCount();
        Devices.User ann = devices.newUser("Ann");
        UUID held = service.service().components().workspaces().createWorkspace(ann.userId(), "Held").workspaceId();
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String queue = phone.client().subscribeNotifications().getQueue();
            Channel channel = service.broker().connection().createChannel();
            String refusing = refuseEverythingRoutedTo(channel, NotificationRoutes.workspace(held));
            String home = laptop.defaultWorkspace();

            laptop.newFolder(held.toString(), "Stuck", "refused-1");
            laptop.newFolder(home, "Free", "delivered-1");

            Devices.until(channel, queue, n -> n.getCommit().getRequestId().equals("delivered-1"));
            // Confirmed, so marked: it is not sent again with the refused row of its batch. (The
            // refused message itself may reach the phone's queue: a negative confirm means some
            // queue did not take it.)
            assertThat(awaitPublished(row("request_id = ?", "delivered-1").outboxId())).isTrue();
            OutboxRow refused = awaitSetAside("request_id = ?", "refused-1");
            assertThat(refused.setAside()).as("set aside").isTrue();
            assertThat(refused.published()).isFalse();
            assertThat(refused.attempts()).isEqualTo(MAX_ATTEMPTS);
            assertThat(refused.lastError()).contains("refused");
            assertThat(metric("syncservice_outbox_set_aside_total")).isGreaterThanOrEqualTo(1);
            assertThat(metric("syncservice_outbox_failed_attempts_total")).isGreaterThanOrEqualTo(MAX_ATTEMPTS);
            InProcessAdmin.Result status = admin.run("status");
            assertThat(status.out()).contains("outbox set aside: " + (setAsideBefore + 1) + " ")
                    .contains("outbox backlog: 0");

            // Set aside, it no longer takes a place in any batch: later commits flow as before.
            laptop.newFolder(home, "Later", "delivered-2");
            List<Notification> later = Devices.until(channel, queue,
                    n -> n.getCommit().getRequestId().equals("delivered-2"));
            assertThat(later).filteredOn(n -> n.getCommit().getRequestId().equals("refused-1"))
                    .as("one copy per refused attempt after the first").hasSizeLessThanOrEqualTo(MAX_ATTEMPTS - 1);
            assertThat(awaitPublished(row("request_id = ?", "delivered-2").outboxId())).isTrue();
            assertThat(row("request_id = ?", "refused-1").attempts()).as("not tried once set aside")
                    .isEqualTo(MAX_ATTEMPTS);

            channel.queueDelete(refusing);
            InProcessAdmin.Result replay = admin.run("replay-outbox", "--id", Long.toString(refused.outboxId()));
            assertThat(replay.exitCode()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("1 set-aside notification put back");

            Notification late = Devices.until(channel, queue, n -> n.getCommit().getRequestId().equals("refused-1"))
                    .get(0);
            assertThat(late.getCommit().getWorkspaceId()).isEqualTo(held.toString());
            assertThat(late.getNotificationId()).isEqualTo("o" + refused.outboxId());
            assertThat(awaitPublished(refused.outboxId())).isTrue();
            assertThat(admin.run("status").out()).contains("outbox set aside: " + setAsideBefore);
        }
    }

    @Test
    void aRowThatCannotBeRebuiltIsSetAsideWithoutHoldingUpTheOthers() throws Exception {
        Devices.User bob = devices.newUser("Bob");
        try (Devices.Device laptop = devices.login(bob, "laptop"); Devices.Device phone = devices.login(bob, "phone")) {
            String queue = phone.client().subscribeNotifications().getQueue();
            Channel channel = service.broker().connection().createChannel();
            UUID broken = UUID.randomUUID();
            try (Connection c = service.database().dataSource().getConnection();
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO outbox (kind, workspace_id) VALUES ('WORKSPACE_SHARED', ?)")) {
                // A workspace event without the user it is for: no notification can be built from it.
                insert.setObject(1, broken);
                insert.executeUpdate();
            }
            laptop.newFolder(laptop.defaultWorkspace(), "Fine", "after-broken");

            Devices.until(channel, queue, n -> n.getCommit().getRequestId().equals("after-broken"));
            OutboxRow row = awaitSetAside("workspace_id = ?", broken);
            assertThat(row.setAside()).isTrue();
            assertThat(row.attempts()).isEqualTo(MAX_ATTEMPTS);
            assertThat(row.lastError()).contains("cannot rebuild the WORKSPACE_SHARED notification");
        }
    }

    @Test
    void replayingAnIdThatIsNotSetAsideIsNotFoundAndTheCommandWantsAnIdOrAll() {
        assertThat(admin.run("replay-outbox", "--id", "987654321").exitCode()).isEqualTo(3);
        InProcessAdmin.Result neither = admin.run("replay-outbox");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(admin.run("replay-outbox", "--id", "x").err()).contains("--id: expected a positive outbox id");
    }

    /** One unlabelled sample of the service's metrics endpoint. */
    private static double metric(String name) throws Exception {
        var address = service.service().httpAddress().orElseThrow();
        String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/metrics"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher sample = java.util.regex.Pattern.compile(
                "(?m)^" + java.util.regex.Pattern.quote(name) + " ([0-9.E]+)$").matcher(body);
        assertThat(sample.find()).as("%s in the metrics", name).isTrue();
        return Double.parseDouble(sample.group(1));
    }

    private static boolean awaitPublished(long outboxId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (row("outbox_id = ?", outboxId).published()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
