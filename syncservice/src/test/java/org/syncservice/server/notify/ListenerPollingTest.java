package org.syncservice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncservice.client.NotificationListener;
import org.syncservice.client.SyncPosition;
import org.syncservice.client.WorkspaceChanges;

/** The SDK's listener polls get_changes when push is not there, and goes back to push when it is. */
class ListenerPollingTest extends ServiceWithDevices {
    private static final Duration POLL = Duration.ofMillis(200);

    private static NotificationListener listen(ObservedClient client, Devices.Device device, String workspace,
                                               ListenerApp app) {
        return NotificationListener.start(client.client, service.clientOptions().toBuilder().pollInterval(POLL).build(),
                device.deviceId(), Map.of(workspace, SyncPosition.START), app);
    }

    @Test
    void aServerWithoutNotificationsIsPolledAndChangesArrive() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            ListenerApp phoneApp = new ListenerApp();
            ObservedClient olderServer = new ObservedClient(phone.client(), true);
            try (NotificationListener listener = listen(olderServer, phone, workspace, phoneApp)) {
                assertThat(listener.isPushActive()).isFalse();
                laptop.newFolder(workspace, "One", "one");
                assertThat(ListenerApp.await(() -> phoneApp.names().contains("One"))).isTrue();
                assertThat(phoneApp.changesNaming("One")).allMatch(WorkspaceChanges::fromCatchUp);
                assertThat(listener.position(workspace)).get().extracting(SyncPosition::changeSeq).isEqualTo(1L);
            }
        }
    }

    @Test
    void whilePushIsDownChangesArriveByPollingAndOncePushIsBackByPush() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            String queue = phone.client().subscribeNotifications().getQueue();
            ListenerApp phoneApp = new ListenerApp();
            try (NotificationListener listener = listen(new ObservedClient(phone.client(), false), phone, workspace,
                    phoneApp)) {
                assertThat(listener.isPushActive()).isTrue();
                laptop.newFolder(workspace, "Pushed", "pushed");
                assertThat(ListenerApp.await(() -> phoneApp.names().contains("Pushed"))).isTrue();
                assertThat(phoneApp.changesNaming("Pushed")).noneMatch(WorkspaceChanges::fromCatchUp);

                try (PushOutage outage = PushOutage.begin(queue)) {
                    assertThat(ListenerApp.await(() -> !listener.isPushActive())).isTrue();
                    laptop.newFolder(workspace, "Polled", "polled");
                    assertThat(ListenerApp.await(() -> phoneApp.names().contains("Polled"))).isTrue();
                    assertThat(phoneApp.changesNaming("Polled")).allMatch(WorkspaceChanges::fromCatchUp);
                    assertThat(listener.isPushActive()).isFalse();
                }
                assertThat(ListenerApp.await(listener::isPushActive)).isTrue();
                laptop.newFolder(workspace, "PushedAgain", "pushed-again");
                assertThat(ListenerApp.await(() -> phoneApp.names().contains("PushedAgain"))).isTrue();
                assertThat(phoneApp.changesNaming("PushedAgain")).noneMatch(WorkspaceChanges::fromCatchUp);
                assertThat(phoneApp.names()).containsExactly("Pushed", "Polled", "PushedAgain");
            }
        }
    }
}
