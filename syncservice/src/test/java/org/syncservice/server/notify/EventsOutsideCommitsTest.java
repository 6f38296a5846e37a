package org.syncservice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.DeviceRegistered;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.protocol.v1.WorkspaceEvent;
import org.syncservice.protocol.v1.WorkspaceEventKind;
import org.syncservice.server.testing.InProcessAdmin;
import org.syncservice.server.testing.RunningService;

/**
 * Changes made by operators and logins, not by commits, reach the devices they concern: a
 * workspace created by add-workspace, a deleted user's workspaces, a registered or revoked device.
 */
class EventsOutsideCommitsTest {
    private static RunningService service;
    private static Devices devices;
    private static InProcessAdmin admin;
    private static Channel broker;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start();
        devices = new Devices(service);
        admin = new InProcessAdmin(service.service().components());
        broker = service.broker().connection().createChannel();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static boolean isWorkspaceEvent(Notification notification, WorkspaceEventKind kind) {
        return notification.hasWorkspace() && notification.getWorkspace().getKind() == kind;
    }

    @Test
    void addWorkspaceTellsTheOwnersDeviceWhichThenGetsItsCommitsWithoutSubscribingAgain() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String queue = phone.client().subscribeNotifications().getQueue();

            InProcessAdmin.Result added = admin.run("add-workspace", "--email", ann.email(), "--name", "Projects");
            assertThat(added.exitCode()).as(added.err()).isZero();

            WorkspaceEvent created = last(Devices.until(broker, queue,
                    n -> isWorkspaceEvent(n, WorkspaceEventKind.WORKSPACE_EVENT_KIND_CREATED))).getWorkspace();
            assertThat(created.getWorkspace().getName()).isEqualTo("Projects");
            String workspace = created.getWorkspace().getWorkspaceId();
            assertThat(added.out()).contains(workspace);

            laptop.newFolder(workspace, "Plan", "in-projects");
            Notification commit = last(Devices.until(broker, queue,
                    n -> n.getCommit().getRequestId().equals("in-projects")));
            assertThat(commit.getCommit().getWorkspaceId()).isEqualTo(workspace);
        }
    }

    @Test
    void deleteUserTellsAMemberOfTheirSharedWorkspaceItIsUnshared() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        Devices.User bob = devices.newUser("Bob");
        try (Devices.Device annsLaptop = devices.login(ann, "laptop"); Devices.Device bobsPhone = devices.login(bob, "phone")) {
            long folder = annsLaptop.newFolder(annsLaptop.defaultWorkspace(), "Together", "together")
                    .getResults(0).getCurrent().getItemId();
            String shared = annsLaptop.client().shareFolder(ShareFolderRequest.newBuilder()
                    .setWorkspaceId(annsLaptop.defaultWorkspace()).setFolderId(folder).addEmails(bob.email()).build(),
                    "share-together").getWorkspace().getWorkspaceId();
            String queue = bobsPhone.client().subscribeNotifications().getQueue();

            InProcessAdmin.Result deleted = admin.run("delete-user", "--email", ann.email());
            assertThat(deleted.exitCode()).as(deleted.err()).isZero();

            Notification unshared = last(Devices.until(broker, queue,
                    n -> isWorkspaceEvent(n, WorkspaceEventKind.WORKSPACE_EVENT_KIND_UNSHARED)));
            assertThat(unshared.getWorkspace().getWorkspace().getWorkspaceId()).isEqualTo(shared);
        }
    }

    @Test
    void aLoginThatRegistersADeviceTellsTheUsersOtherDevice() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop")) {
            String queue = laptop.client().subscribeNotifications().getQueue();

            try (Devices.Device phone = devices.login(ann, "phone")) {
                DeviceRegistered registered = last(Devices.until(broker, queue,
                        Notification::hasDeviceRegistered)).getDeviceRegistered();
                assertThat(registered.getDeviceId()).isEqualTo(phone.deviceId());
                assertThat(registered.getName()).isEqualTo("phone");
                assertThat(registered.getOs()).isEqualTo("linux");
            }
        }
    }

    @Test
    void revokeDeviceTellsTheUsersOtherDevicesWhichDeviceWent() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String laptopQueue = laptop.client().subscribeNotifications().getQueue();
            phone.client().subscribeNotifications();

            InProcessAdmin.Result revoked = admin.run("revoke-device", "--email", ann.email(), "--device",
                    phone.deviceId());
            assertThat(revoked.exitCode()).as(revoked.err()).isZero();

            Notification notice = last(Devices.until(broker, laptopQueue, Notification::hasDeviceRevoked));
            assertThat(notice.getDeviceRevoked().getDeviceId()).isEqualTo(phone.deviceId());
        }
    }

    private static Notification last(java.util.List<Notification> notifications) {
        return notifications.get(notifications.size() - 1);
    }
}
