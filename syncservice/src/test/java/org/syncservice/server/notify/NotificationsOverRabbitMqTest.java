package org.syncservice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitNotification;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.protocol.v1.SubscribeNotificationsResponse;
import org.syncservice.protocol.v1.UnregisterDeviceRequest;
import org.syncservice.protocol.v1.UpdateWorkspaceRequest;
import org.syncservice.protocol.v1.WorkspaceEventKind;
import org.syncservice.server.testing.CommitItems;
import org.syncservice.server.testing.RunningService;

/** Notifications end to end: commit -> outbox -> publisher -> RabbitMQ -> the device queues subscribe_notifications set up. */
class NotificationsOverRabbitMqTest {
    private static RunningService service;
    private static Devices devices;
    private static Channel broker;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start();
        devices = new Devices(service);
        broker = service.broker().connection().createChannel();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    void aCommitIsDeliveredToTheUsersOtherDeviceAndRecognisedByTheCommittingOne() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            SubscribeNotificationsResponse phoneQueue = phone.client().subscribeNotifications();
            SubscribeNotificationsResponse laptopQueue = laptop.client().subscribeNotifications();
            String workspace = laptop.defaultWorkspace();

            CommitResponse commit = laptop.newFolder(workspace, "Photos", "req-photos");

            GetResponse message = Devices.next(broker, phoneQueue.getQueue());
            assertThat(message.getProps().getContentType()).isEqualTo("application/x-protobuf");
            assertThat(message.getProps().getType()).isEqualTo("syncservice.v1.Notification");
            assertThat(message.getProps().getDeliveryMode()).as("not on the broker's disk by default").isEqualTo(1);
            Notification notification = Notification.parseFrom(message.getBody());
            assertThat(message.getProps().getMessageId()).isEqualTo(notification.getNotificationId());
            assertThat(notification.getNotificationId()).startsWith("o");
            CommitNotification announced = notification.getCommit();
            assertThat(announced.getWorkspaceId()).isEqualTo(workspace);
            assertThat(announced.getChangeSeq()).isEqualTo(commit.getChangeSeq());
            assertThat(announced.getDeviceId()).isEqualTo(laptop.deviceId());
            assertThat(announced.getRequestId()).isEqualTo("req-photos");
            assertThat(announced.getItemCount()).isEqualTo(1);
            assertThat(announced.getItemsOmitted()).isFalse();
            assertThat(announced.getItemsList()).singleElement().satisfies(item -> {
                assertThat(item.getName()).isEqualTo("Photos");
                assertThat(item.getItemId()).isEqualTo(commit.getResults(0).getCurrent().getItemId());
            });

            CommitNotification own = Devices.nextNotification(broker, laptopQueue.getQueue()).getCommit();
            assertThat(own.getDeviceId()).isEqualTo(laptop.deviceId());
            assertThat(own.getRequestId()).isEqualTo("req-photos");
        }
    }

    @Test
    void devicesOfAnotherUserReceiveNothing() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        Devices.User bob = devices.newUser("Bob");
        try (Devices.Device annsLaptop = devices.login(ann, "laptop"); Devices.Device bobsLaptop = devices.login(bob, "laptop")) {
            String bobsQueue = bobsLaptop.client().subscribeNotifications().getQueue();

            annsLaptop.newFolder(annsLaptop.defaultWorkspace(), "Secret", "ann-1");
            // Outbox order is publishing order: once Bob's own later commit arrived, Ann's was routed.
            String bobsWorkspace = bobsLaptop.defaultWorkspace();
            bobsLaptop.newFolder(bobsWorkspace, "Mine", "bob-1");

            List<Notification> received = Devices.until(broker, bobsQueue,
                    n -> n.getCommit().getRequestId().equals("bob-1"));
            assertThat(received).singleElement()
                    .satisfies(n -> assertThat(n.getCommit().getWorkspaceId()).isEqualTo(bobsWorkspace));
        }
    }

    @Test
    void aChangeThatIsNotStoredIsNeverAnnounced() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop")) {
            String queue = laptop.client().subscribeNotifications().getQueue();
            String workspace = laptop.defaultWorkspace();
            laptop.newFolder(workspace, "Docs", "first");
            // A change of an item that does not exist stores nothing: no sequence number, no outbox row.
            CommitResponse refused = laptop.client().commit(org.syncservice.protocol.v1.CommitRequest.newBuilder()
                    .setWorkspaceId(workspace).addItems(org.syncservice.protocol.v1.CommitItem.newBuilder()
                            .setItemId(999_999_999L).setVersion(2).setName("ghost")
                            .setStatus(org.syncservice.protocol.v1.ItemStatus.ITEM_STATUS_CHANGED)).build(), "second");
            assertThat(refused.getChangeSeq()).isZero();
            assertThat(refused.getResults(0).getOutcome()).isNotEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
            // A row written in a transaction that rolls back never reaches the publisher either.
            try (Connection c = service.database().dataSource().getConnection();
                 PreparedStatement insert = c.prepareStatement("INSERT INTO outbox (kind, workspace_id, change_seq,"
                         + " request_id) VALUES ('COMMIT', ?::uuid, 99, 'rolled-back')")) {
                c.setAutoCommit(false);
                insert.setString(1, workspace);
                insert.executeUpdate();
                c.rollback();
            }
            laptop.newFolder(workspace, "Music", "third");

            List<Notification> received = Devices.until(broker, queue, n -> n.getCommit().getRequestId().equals("third"));
            assertThat(received).extracting(n -> n.getCommit().getRequestId()).containsExactly("first", "third");
            assertThat(received).extracting(n -> n.getCommit().getChangeSeq()).containsExactly(1L, 2L);
        }
    }

    @Test
    void aCommitNotificationNamesTheFoldersItChangedAndThoseMovedItemsLeft() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String queue = phone.client().subscribeNotifications().getQueue();
            String workspace = laptop.defaultWorkspace();
            CommitResponse tree = laptop.client().commit(CommitRequest.newBuilder().setWorkspaceId(workspace)
                    .addItems(CommitItems.newFolder("a", "A")).addItems(CommitItems.newFolder("b", "B"))
                    .addItems(CommitItems.newFile("f", "a", "f.txt", 1)).build(), "tree");
            long a = tree.getResults(0).getCurrent().getItemId();
            long b = tree.getResults(1).getCurrent().getItemId();
            CommitNotification made = Devices.nextNotification(broker, queue).getCommit();
            assertThat(made.getTouchedFolderIdsList()).containsExactly(0L, a);
            assertThat(made.getTouchedFoldersOmitted()).isFalse();

            laptop.client().commit(CommitRequest.newBuilder().setWorkspaceId(workspace)
                    .addItems(CommitItems.moved(tree.getResults(2).getCurrent(), b)).build(), "move");
            assertThat(Devices.nextNotification(broker, queue).getCommit().getTouchedFolderIdsList())
                    .as("the folder it left and the one it entered").containsExactly(a, b);

            CommitRequest.Builder many = CommitRequest.newBuilder().setWorkspaceId(workspace);
            for (int i = 0; i < OutboxEvent.Commit.MAX_TOUCHED_FOLDERS; i++) {
                many.addItems(CommitItems.newFolder("d" + i, "d" + i)).addItems(CommitItems.newFile("x" + i, "d" + i,
                        "x", 1));
            }
            laptop.client().commit(many.build(), "many");
            CommitNotification wide = Devices.nextNotification(broker, queue).getCommit();
            assertThat(wide.getTouchedFolderIdsList()).as("65 folders: too many to name").isEmpty();
            assertThat(wide.getTouchedFoldersOmitted()).isTrue();
        }
    }

    @Test
    void aCommitWhoseItemsCarryThousandsOfChunkNamesIsAnnouncedWithinTheByteBudgetWithoutThem() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String queue = phone.client().subscribeNotifications().getQueue();
            String workspace = laptop.defaultWorkspace();
            CommitRequest.Builder request = CommitRequest.newBuilder().setWorkspaceId(workspace);
            for (int file = 0; file < 3; file++) {
                CommitItem.Builder item = CommitItems.newFile("f" + file, "video-" + file + ".mkv", 1_000_000L)
                        .toBuilder().clearChunks();
                for (int chunk = 0; chunk < 1_000; chunk++) {
                    item.addChunks(String.format("%064x", file * 10_000L + chunk));
                }
                request.addItems(item);
            }
            assertThat(laptop.client().commit(request.build(), "huge-chunk-lists").getResultsList())
                    .allMatch(r -> r.getOutcome() == CommitOutcome.COMMIT_OUTCOME_COMMITTED);

            GetResponse message = Devices.next(broker, queue);
            assertThat(message.getBody().length).isLessThanOrEqualTo(
                    service.config().notifications().maxNotificationBytes());
            CommitNotification commit = Notification.parseFrom(message.getBody()).getCommit();
            assertThat(commit.getRequestId()).isEqualTo("huge-chunk-lists");
            assertThat(commit.getItemsOmitted()).isTrue();
            assertThat(commit.getItemCount()).isEqualTo(3);
            assertThat(commit.getItemsList()).as("each item is about 70 KB of chunk names").isEmpty();
        }
    }

    @Test
    void aRenamedWorkspaceIsAnnouncedToTheUser() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String queue = phone.client().subscribeNotifications().getQueue();
            String workspace = laptop.defaultWorkspace();

            laptop.client().updateWorkspace(UpdateWorkspaceRequest.newBuilder().setWorkspaceId(workspace)
                    .setName("Home").build());

            Notification notification = Devices.nextNotification(broker, queue);
            assertThat(notification.getWorkspace().getKind()).isEqualTo(WorkspaceEventKind.WORKSPACE_EVENT_KIND_RENAMED);
            assertThat(notification.getWorkspace().getWorkspace().getWorkspaceId()).isEqualTo(workspace);
            assertThat(notification.getWorkspace().getWorkspace().getName()).isEqualTo("Home");
        }
    }

    @Test
    void subscribingAgainKeepsTheQueueAndWhatItHolds() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            SubscribeNotificationsResponse first = phone.client().subscribeNotifications();
            laptop.newFolder(laptop.defaultWorkspace(), "A", "a");
            Devices.next(broker, first.getQueue());
            laptop.newFolder(laptop.defaultWorkspace(), "B", "b");
            SubscribeNotificationsResponse again = phone.client().subscribeNotifications();

            assertThat(again.getQueue()).isEqualTo(first.getQueue());
            assertThat(again.getExchange()).isEqualTo(service.config().amqp().notificationExchange());
            assertThat(again.getQueueTtlMs()).isEqualTo(service.config().notifications().deviceQueueTtl().toMillis());
            assertThat(Devices.nextNotification(broker, again.getQueue()).getCommit().getRequestId()).isEqualTo("b");
        }
    }

    @Test
    void unregisteringADeviceTellsItAndDeletesItsQueue() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String phoneQueue = phone.client().subscribeNotifications().getQueue();
            // A consumer on the queue gets the notice before the queue goes.
            Channel consumer = service.broker().connection().createChannel();
            java.util.concurrent.BlockingQueue<byte[]> got = new java.util.concurrent.LinkedBlockingQueue<>();
            java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);
            consumer.basicConsume(phoneQueue, true, new com.rabbitmq.client.DefaultConsumer(consumer) {
                @Override
                public void handleDelivery(String tag, com.rabbitmq.client.Envelope envelope,
                                           com.rabbitmq.client.AMQP.BasicProperties properties, byte[] body) {
                    got.add(body);
                }

                @Override
                public void handleCancel(String tag) {
                    cancelled.countDown();
                }
            });

            laptop.client().unregisterDevice(UnregisterDeviceRequest.newBuilder().setDeviceId(phone.deviceId()).build());

            assertThat(cancelled.await(Devices.PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .as("the broker cancels the consumer when the queue is deleted").isTrue();
            assertThat(got).isNotEmpty();
            assertThat(Notification.parseFrom(got.peek()).getDeviceRevoked().getDeviceId()).isEqualTo(phone.deviceId());
            assertThat(queueExists(phoneQueue)).isFalse();
            assertThatThrownBy(() -> phone.client().subscribeNotifications())
                    .isInstanceOfSatisfying(SyncServiceException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED));
            assertThat(queueExists(phoneQueue)).isFalse();
        }
    }

    @Test
    void acknowledgedChangesAreRecordedPerDevice() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop")) {
            String workspace = laptop.defaultWorkspace();
            laptop.newFolder(workspace, "A", "a");
            laptop.client().acknowledgeChanges(org.syncservice.protocol.v1.AcknowledgeChangesRequest.newBuilder()
                    .setWorkspaceId(workspace).setChangeSeq(1).build());
            assertThat(cursorOf(laptop.deviceId(), workspace)).isEqualTo(1L);
        }
    }

    static long cursorOf(String deviceId, String workspaceId) throws SQLException {
        return cursorOfIn(service, deviceId, workspaceId);
    }

    /** The change_seq the device acknowledged for the workspace, -1 for none. */
    static long cursorOfIn(RunningService service, String deviceId, String workspaceId) throws SQLException {
        try (Connection c = service.database().dataSource().getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT change_seq FROM device_cursors WHERE device_id = ?::uuid AND workspace_id = ?::uuid")) {
            select.setString(1, deviceId);
            select.setString(2, workspaceId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1;
            }
        }
    }

    private static boolean queueExists(String queue) throws IOException, java.util.concurrent.TimeoutException {
        Channel probe = service.broker().connection().createChannel();
        try {
            probe.queueDeclarePassive(queue);
            probe.close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static UUID uuid(String text) {
        return UUID.fromString(text);
    }
}
