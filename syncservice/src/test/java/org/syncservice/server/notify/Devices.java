package org.syncservice.server.notify;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.syncservice.client.SyncClient;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.server.testing.RunningService;

/** Users and logged-in devices of a running service, and a look into device queues, for the notification tests. */
final class Devices {
    /** How long a test waits for a message it expects; never a measurement. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final RunningService service;

    Devices(RunningService service) {
        this.service = service;
    }

    record User(String email, String password, UUID userId) {
    }

    record Device(SyncClient client, LoginResponse login) implements AutoCloseable {
        String deviceId() {
            return login.getDeviceId();
        }

        String defaultWorkspace() {
            return client.listWorkspaces().getWorkspaces(0).getWorkspaceId();
        }

        /** Commits one new folder at the root of the workspace. */
        CommitResponse newFolder(String workspaceId, String name, String requestId) {
            return client.commit(CommitRequest.newBuilder().setWorkspaceId(workspaceId)
                    .addItems(CommitItem.newBuilder().setTempId("t1").setVersion(1)
                            .setStatus(ItemStatus.ITEM_STATUS_NEW).setName(name).setIsFolder(true))
                    .build(), requestId);
        }

        @Override
        public void close() {
            client.close();
        }
    }

    User newUser(String name) {
        String email = name.toLowerCase() + "-" + UUID.randomUUID() + "@example.org";
        String password = "pw-" + UUID.randomUUID();
        UUID userId = service.service().components().accounts().createUser(email, name, password, 1 << 30).userId();
        return new User(email, password, userId);
    }

    Device login(User user, String deviceName) {
        SyncClient client = service.newClient();
        LoginResponse login = client.login(LoginRequest.newBuilder().setEmail(user.email())
                .setPassword(user.password()).setDeviceName(deviceName).setOs("linux").setAppVersion("1.0").build());
        return new Device(client, login);
    }

    /** Takes the next message of a queue, waiting for it up to {@link #PATIENCE}; fails if none comes. */
    static GetResponse next(Channel channel, String queue) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            GetResponse response = channel.basicGet(queue, true);
            if (response != null) {
                return response;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no message arrived in " + queue + " within " + PATIENCE);
    }

    /**
     * The next notification of the queue, passing over DeviceRegistered ones: a test's own logins
     * announce themselves to its devices whenever the publisher gets to them, which may be after a
     * device subscribed. Tests of registrations look with {@link #until}.
     */
    static Notification nextNotification(Channel channel, String queue) throws IOException, InterruptedException {
        while (true) {
            Notification notification = Notification.parseFrom(next(channel, queue).getBody());
            if (!notification.hasDeviceRegistered()) {
                return notification;
            }
        }
    }

    /** Every message of the queue until one satisfying {@code last} arrived (that one included). */
    static List<Notification> until(Channel channel, String queue, java.util.function.Predicate<Notification> last)
            throws IOException, InterruptedException {
        List<Notification> seen = new ArrayList<>();
        while (true) {
            Notification notification = Notification.parseFrom(next(channel, queue).getBody());
            seen.add(notification);
            if (last.test(notification)) {
                return seen;
            }
        }
    }
}
