package org.syncservice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.syncservice.client.NotificationListener;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.client.SyncPosition;
import org.syncservice.client.TrackingStop;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.protocol.v1.UnshareFolderRequest;
import org.syncservice.server.testing.CommitItems;

/** The SDK's listener meets errors that retrying cannot cure: it relists, or stops, and says so. */
class ListenerPermanentErrorsTest extends ServiceWithDevices {
    private static final Duration POLL = Duration.ofMillis(200);

    private static SyncClientOptions options() {
        return service.clientOptions().toBuilder().pollInterval(POLL).build();
    }

    @Test
    void anExpiredCursorMakesTheListenerListAgainFromScratchAndTheApplicationReconciles() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            ListenerApp phoneApp = new ListenerApp();
            Item one = laptop.newFolder(workspace, "One", "one").getResults(0).getCurrent();
            laptop.newFolder(workspace, "Two", "two");
            SyncPosition left;
            try (NotificationListener listener = NotificationListener.start(phone.client(), options(),
                    phone.deviceId(), Map.of(workspace, SyncPosition.START), phoneApp)) {
                assertThat(ListenerApp.await(() -> phoneApp.versions(workspace).size() == 2)).isTrue();
                left = listener.position(workspace).orElseThrow();
            }
            // While the phone is away One is deleted and the history it could resume from is purged.
            laptop.client().commit(CommitRequest.newBuilder().setWorkspaceId(workspace)
                    .addItems(CommitItems.deleted(one)).build());
            laptop.newFolder(workspace, "Three", "three");
            purgeHistoryUpTo(workspace, left.changeSeq() + 1);

            try (NotificationListener listener = NotificationListener.start(phone.client(), options(),
                    phone.deviceId(), Map.of(workspace, left), phoneApp)) {
                assertThat(ListenerApp.await(() -> phoneApp.fullListings.contains(workspace + ":finished"))).isTrue();
                assertThat(phoneApp.fullListings).containsExactly(workspace + ":CURSOR_EXPIRED", workspace + ":finished");
                assertThat(phoneApp.versions(workspace)).isEqualTo(ListenerApp.serverVersions(laptop.client(), workspace));
                assertThat(phoneApp.versions(workspace)).doesNotContainKey(one.getItemId());
                assertThat(listener.position(workspace)).get().extracting(SyncPosition::changeSeq).isEqualTo(4L);
                assertThat(phoneApp.stops).isEmpty();
            }
        }
    }

    @Test
    void aWorkspaceThatIsNotFoundIsNoLongerTrackedOrAskedForAndTheApplicationIsTold() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop")) {
            String home = laptop.defaultWorkspace();
            String missing = UUID.randomUUID().toString();
            ListenerApp app = new ListenerApp();
            ObservedClient observed = new ObservedClient(laptop.client(), true);
            try (NotificationListener listener = NotificationListener.start(observed.client, options(),
                    laptop.deviceId(), Map.of(home, SyncPosition.START, missing, SyncPosition.START), app)) {
                assertThat(ListenerApp.await(() -> app.stops.containsKey(missing))).isTrue();
                TrackingStop stop = app.stops.get(missing);
                assertThat(stop.reason()).isEqualTo(TrackingStop.Reason.NOT_FOUND);
                assertThat(stop.error()).get().extracting(e -> e.code()).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
                assertThat(listener.position(missing)).isEmpty();
                int callsWhenStopped = observed.getChangesCalls(missing);
                int homeCalls = observed.getChangesCalls(home);
                // Several poll rounds go by: the tracked workspace is polled, the missing one never again.
                assertThat(ListenerApp.await(() -> observed.getChangesCalls(home) >= homeCalls + 3)).isTrue();
                assertThat(observed.getChangesCalls(missing)).isEqualTo(callsWhenStopped).isEqualTo(1);
            }
        }
    }

    @Test
    void anUnsharedWorkspaceIsNoLongerTrackedOrAskedForAndTheApplicationIsTold() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        Devices.User bob = devices.newUser("Bob");
        try (Devices.Device annLaptop = devices.login(ann, "laptop"); Devices.Device bobLaptop = devices.login(bob, "laptop")) {
            String annHome = annLaptop.defaultWorkspace();
            Item folder = annLaptop.newFolder(annHome, "Project", "project").getResults(0).getCurrent();
            String shared = annLaptop.client().shareFolder(ShareFolderRequest.newBuilder().setWorkspaceId(annHome)
                    .setFolderId(folder.getItemId()).addEmails(bob.email()).build()).getWorkspace().getWorkspaceId();
            ListenerApp bobApp = new ListenerApp();
            ObservedClient observed = new ObservedClient(bobLaptop.client(), false);
            try (NotificationListener listener = NotificationListener.start(observed.client, options(),
                    bobLaptop.deviceId(), Map.of(shared, SyncPosition.START), bobApp)) {
                annLaptop.newFolder(shared, "Plans", "plans");
                assertThat(ListenerApp.await(() -> bobApp.names().contains("Plans"))).isTrue();

                annLaptop.client().unshareFolder(UnshareFolderRequest.newBuilder().setWorkspaceId(shared)
                        .addEmails(bob.email()).build());
                assertThat(ListenerApp.await(() -> bobApp.stops.containsKey(shared))).isTrue();
                assertThat(bobApp.stops.get(shared).reason()).isEqualTo(TrackingStop.Reason.UNSHARED);
                assertThat(listener.position(shared)).isEmpty();
                int calls = observed.getChangesCalls(shared);
                // Nothing more for it, whatever the listener hears or however long it waits.
                Thread.sleep(POLL.multipliedBy(5).toMillis());
                assertThat(observed.getChangesCalls(shared)).isEqualTo(calls);
            }
        }
    }

    /** What a purge of old tombstones leaves: cursors at or below {@code seq} are too old. */
    private static void purgeHistoryUpTo(String workspaceId, long seq) throws Exception {
        try (Connection connection = service.database().dataSource().getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE workspaces SET purged_up_to_seq = ? WHERE workspace_id = ?")) {
            update.setLong(1, seq);
            update.setObject(2, UUID.fromString(workspaceId));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
