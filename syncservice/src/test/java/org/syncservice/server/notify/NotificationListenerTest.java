package org.syncservice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.FullListingReason;
import org.syncservice.client.NotificationHandler;
import org.syncservice.client.NotificationListener;
import org.syncservice.client.SyncPosition;
import org.syncservice.client.WorkspaceChanges;
import org.syncservice.protocol.v1.Item;
import org.syncservice.server.testing.RunningService;

/** The client SDK's listener against the running service: order, own commits, gaps and catch-up. */
class NotificationListenerTest {
    private static RunningService service;
    private static Devices devices;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start();
        devices = new Devices(service);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    /** Records what the application was handed. */
    private static final class Recorder implements NotificationHandler {
        final List<WorkspaceChanges> changes = new CopyOnWriteArrayList<>();
        final List<FullListingReason> listings = new CopyOnWriteArrayList<>();

        @Override
        public void onChanges(WorkspaceChanges received) {
            changes.add(received);
        }

        @Override
        public void onFullListingStarted(String workspaceId, FullListingReason reason) {
            listings.add(reason);
        }

        List<String> names() {
            List<String> names = new ArrayList<>();
            for (WorkspaceChanges received : changes) {
                received.items().stream().map(Item::getName).forEach(names::add);
            }
            return names;
        }

        void awaitNames(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Devices.PATIENCE.toNanos();
            while (names().size() < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
    }

    /** Starts the SDK's listener on the device, tracking one workspace from {@code from}. */
    private static NotificationListener listen(Devices.Device device, String workspace, SyncPosition from,
                                               Recorder app) {
        return NotificationListener.start(device.client(), service.clientOptions(), device.deviceId(),
                Map.of(workspace, from), app);
    }

    @Test
    void aCommitOfAnotherDeviceArrivesInOrderAndOwnCommitsAreMarked() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            Recorder phoneApp = new Recorder();
            Recorder laptopApp = new Recorder();
            try (NotificationListener phoneListener = listen(phone, workspace, SyncPosition.START, phoneApp);
                 NotificationListener laptopListener = listen(laptop, workspace, SyncPosition.START, laptopApp)) {
                laptop.newFolder(workspace, "One", "one");
                laptop.newFolder(workspace, "Two", "two");
                phoneApp.awaitNames(2);
                laptopApp.awaitNames(2);

                assertThat(phoneApp.names()).containsExactly("One", "Two");
                assertThat(phoneApp.changes).allSatisfy(c -> {
                    assertThat(c.ownCommit()).isFalse();
                    assertThat(c.commit()).isPresent();
                });
                assertThat(phoneApp.changes).extracting(WorkspaceChanges::changeSeq).containsExactly(1L, 2L);
                assertThat(laptopApp.changes).allSatisfy(c -> assertThat(c.ownCommit()).isTrue());
                assertThat(phoneListener.position(workspace)).get().extracting(SyncPosition::changeSeq).isEqualTo(2L);
                // The device's progress is visible to operators.
                long deadline = System.nanoTime() + Devices.PATIENCE.toNanos();
                while (NotificationsOverRabbitMqTest.cursorOfIn(service, phone.deviceId(), workspace) < 2
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(NotificationsOverRabbitMqTest.cursorOfIn(service, phone.deviceId(), workspace)).isEqualTo(2L);
            }
        }
    }

    @Test
    void aMissedNotificationIsCaughtUpWithGetChangesAndEveryChangeIsSeenOnce() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            Recorder phoneApp = new Recorder();
            SyncPosition left;
            String queue;
            try (NotificationListener listener = listen(phone, workspace, SyncPosition.START, phoneApp)) {
                laptop.newFolder(workspace, "One", "one");
                phoneApp.awaitNames(1);
                left = listener.position(workspace).orElseThrow();
                queue = phone.client().subscribeNotifications().getQueue();
            }
            assertThat(left.changeSeq()).isEqualTo(1);

            // While the phone is away three commits happen, and the notification of the first is lost.
            laptop.newFolder(workspace, "Two", "two");
            laptop.newFolder(workspace, "Three", "three");
            laptop.newFolder(workspace, "Four", "four");
            Channel channel = service.broker().connection().createChannel();
            assertThat(Devices.nextNotification(channel, queue).getCommit().getChangeSeq()).isEqualTo(2);

            try (NotificationListener listener = listen(phone, workspace, left, phoneApp)) {
                phoneApp.awaitNames(4);
                // Give the queued notifications of 3 and 4 their chance to (wrongly) deliver again.
                laptop.newFolder(workspace, "Five", "five");
                phoneApp.awaitNames(5);

                assertThat(phoneApp.names()).as(phoneApp.changes.toString()).containsExactly("One", "Two", "Three", "Four", "Five");
                assertThat(phoneApp.changes.stream().filter(WorkspaceChanges::fromCatchUp)
                        .flatMap(c -> c.items().stream()).map(Item::getName))
                        .containsExactlyInAnyOrder("Two", "Three", "Four");
                assertThat(listener.position(workspace)).get().extracting(SyncPosition::changeSeq).isEqualTo(5L);
            }
        }
    }

    @Test
    void notificationsCarryTheServicesBrokerUserAndTheListenerDropsOnesWithoutIt() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            String publisher = phone.client().getServerInfo().getNotificationPublisher();
            assertThat(publisher).as("announced").isEqualTo(service.config().amqp().user());
            String queue = phone.client().subscribeNotifications().getQueue();
            laptop.newFolder(workspace, "One", "one");
            try (Channel channel = service.broker().connection().createChannel()) {
                com.rabbitmq.client.GetResponse real;
                do {
                    real = Devices.next(channel, queue);
                } while (!org.syncservice.protocol.v1.Notification.parseFrom(real.getBody()).hasCommit());
                assertThat(real.getProps().getUserId()).as("the service's notification").isEqualTo(publisher);
            }

            Recorder phoneApp = new Recorder();
            try (NotificationListener listener = listen(phone, workspace, SyncPosition.START, phoneApp)) {
                phoneApp.awaitNames(1);
                // Anyone who may publish to the queue forges the next change, without the user_id
                // only the service's connection can give.
                org.syncservice.protocol.v1.Notification forged = org.syncservice.protocol.v1.Notification.newBuilder()
                        .setNotificationId("forged").setCommit(org.syncservice.protocol.v1.CommitNotification.newBuilder()
                                .setWorkspaceId(workspace).setChangeSeq(2).setDeviceId(laptop.deviceId())
                                .addItems(Item.newBuilder().setItemId(999_999).setName("Forged").setVersion(1)
                                        .setIsFolder(true))
                                .setItemCount(1))
                        .build();
                try (Channel forger = service.broker().connection().createChannel()) {
                    forger.basicPublish("", queue, new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                            .contentType("application/x-protobuf").type("notification").build(), forged.toByteArray());
                }
                Thread.sleep(500);
                laptop.newFolder(workspace, "Two", "two");
                phoneApp.awaitNames(2);
                assertThat(phoneApp.names()).containsExactly("One", "Two");
                assertThat(listener.position(workspace)).get().extracting(SyncPosition::changeSeq).isEqualTo(2L);
            }
        }
    }

    @Test
    void handledNotificationsAreSettledWithTheBrokerSoNoneComesBackAfterClose() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            Recorder phoneApp = new Recorder();
            try (NotificationListener listener = listen(phone, workspace, SyncPosition.START, phoneApp)) {
                laptop.newFolder(workspace, "One", "one");
                laptop.newFolder(workspace, "Two", "two");
                laptop.newFolder(workspace, "Three", "three");
                phoneApp.awaitNames(3);
                assertThat(phoneApp.names()).containsExactly("One", "Two", "Three");
            }
            // Acknowledgements are cumulative and deferred; closing settles what was handled, so
            // nothing returns to the queue to be delivered again.
            String queue = phone.client().subscribeNotifications().getQueue();
            try (Channel channel = service.broker().connection().createChannel()) {
                assertThat(channel.queueDeclarePassive(queue).getMessageCount()).isZero();
            }
        }
    }

    @Test
    void anotherDevicesCommitArrivingAfterTheDevicesOwnLaterCommitIsNotSkipped() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            Recorder laptopApp = new Recorder();
            try (NotificationListener listener = listen(laptop, workspace, SyncPosition.START, laptopApp);
                 Channel channel = service.broker().connection().createChannel()) {
                laptop.newFolder(workspace, "Zero", "zero");
                laptopApp.awaitNames(1);
                // Hold back what the laptop's queue gets, to hand it over in another order: the
                // laptop's own commit 3 first, the phone's commit 2 after it.
                String queue = laptop.client().subscribeNotifications().getQueue();
                String exchange = service.broker().notificationExchange();
                channel.queueUnbind(queue, exchange, "ws." + workspace);
                String held = channel.queueDeclare().getQueue();
                channel.queueBind(held, exchange, "ws." + workspace);
                phone.newFolder(workspace, "FromPhone", "from-phone");
                laptop.newFolder(workspace, "FromLaptop", "from-laptop");
                com.rabbitmq.client.GetResponse phones = Devices.next(channel, held);
                com.rabbitmq.client.GetResponse own = Devices.next(channel, held);
                assertThat(org.syncservice.protocol.v1.Notification.parseFrom(own.getBody()).getCommit().getDeviceId())
                        .isEqualTo(laptop.deviceId());
                // As the service sent them, its user_id included (this test's broker user is the service's).
                channel.basicPublish("", queue, own.getProps(), own.getBody());
                channel.basicPublish("", queue, phones.getProps(), phones.getBody());
                channel.queueBind(queue, exchange, "ws." + workspace);

                laptopApp.awaitNames(3);
                assertThat(laptopApp.names()).containsExactly("Zero", "FromPhone", "FromLaptop");
                assertThat(listener.position(workspace)).get().extracting(SyncPosition::changeSeq).isEqualTo(3L);
            }
        }
    }

    @Test
    void afterARestoredBackupTheListenerListsAgainAndTakesTheChangeNumbersGivenAgain() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            Recorder phoneApp = new Recorder();
            SyncPosition left;
            try (NotificationListener listener = listen(phone, workspace, SyncPosition.START, phoneApp)) {
                laptop.newFolder(workspace, "One", "one");
                laptop.newFolder(workspace, "Two", "two");
                laptop.newFolder(workspace, "Three", "three");
                phoneApp.awaitNames(3);
                left = listener.position(workspace).orElseThrow();
            }
            assertThat(left.changeSeq()).isEqualTo(3);
            // The database goes back to a backup taken after change 1, and the operator runs new-epoch:
            // what the workspace lists is as of change 1, and the next commit takes number 2 again.
            restoreAsOfChangeOne(workspace);
            phoneApp.changes.clear();

            try (NotificationListener listener = listen(phone, workspace, left, phoneApp)) {
                phoneApp.awaitNames(1);
                assertThat(phoneApp.listings).containsExactly(FullListingReason.HISTORY_REWOUND);
                assertThat(phoneApp.names()).containsExactly("One");
                laptop.newFolder(workspace, "AfterRestore", "after-restore");
                phoneApp.awaitNames(2);

                assertThat(phoneApp.names()).as("change 2 again is news").containsExactly("One", "AfterRestore");
                assertThat(listener.position(workspace)).get().extracting(SyncPosition::changeSeq).isEqualTo(2L);
            }
        }
    }

    @Test
    void aListenerConnectedThroughARestoreLearnsOfItAtItsRoutineCatchUp() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            Recorder phoneApp = new Recorder();
            try (NotificationListener listener = NotificationListener.start(phone.client(),
                    service.clientOptions().toBuilder().checkInterval(java.time.Duration.ofMillis(500)).build(),
                    phone.deviceId(), Map.of(workspace, SyncPosition.START), phoneApp)) {
                laptop.newFolder(workspace, "One", "one");
                laptop.newFolder(workspace, "Two", "two");
                laptop.newFolder(workspace, "Three", "three");
                phoneApp.awaitNames(3);
                restoreAsOfChangeOne(workspace);
                phoneApp.changes.clear();
                // Its notification carries number 2, which the phone saw before the restore.
                laptop.newFolder(workspace, "AfterRestore", "after-restore");
                phoneApp.awaitNames(2);

                assertThat(phoneApp.listings).containsExactly(FullListingReason.HISTORY_REWOUND);
                assertThat(phoneApp.names()).containsExactlyInAnyOrder("One", "AfterRestore");
            }
        }
    }

    /**
     * The workspace as a backup taken after its change 1 restores it: later items gone, the next
     * commit numbered 2 again, and a new epoch (the operator's new-epoch).
     */
    private static void restoreAsOfChangeOne(String workspace) throws Exception {
        try (java.sql.Connection c = service.database().dataSource().getConnection();
             java.sql.PreparedStatement lose = c.prepareStatement("DELETE FROM items WHERE item_id IN"
                     + " (SELECT item_id FROM item_versions WHERE workspace_id = ?::uuid AND change_seq > 1)");
             java.sql.PreparedStatement rewind = c.prepareStatement(
                     "UPDATE workspaces SET latest_change_seq = 1 WHERE workspace_id = ?::uuid")) {
            lose.setString(1, workspace);
            lose.executeUpdate();
            rewind.setString(1, workspace);
            rewind.executeUpdate();
        }
        new org.syncservice.server.store.jdbc.JdbcCursorKeyStore(service.database().dataSource()).newEpoch();
    }
}
