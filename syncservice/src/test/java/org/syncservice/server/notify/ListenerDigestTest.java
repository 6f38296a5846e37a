package org.syncservice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncservice.client.NotificationListener;
import org.syncservice.client.SyncPosition;
import org.syncservice.client.WorkspaceDigest;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.GetWorkspaceDigestRequest;
import org.syncservice.protocol.v1.GetWorkspaceDigestResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.server.testing.CommitItems;

/** The SDK's listener checks the application's copy against get_workspace_digest after catching up. */
class ListenerDigestTest extends ServiceWithDevices {

    /** Three folders, one renamed (version 2), one deleted: the copy must hold two, at their versions. */
    private static void history(Devices.Device device, String workspace) {
        Item one = device.newFolder(workspace, "One", "one").getResults(0).getCurrent();
        Item two = device.newFolder(workspace, "Two", "two").getResults(0).getCurrent();
        device.newFolder(workspace, "Three", "three");
        device.client().commit(CommitRequest.newBuilder().setWorkspaceId(workspace)
                .addItems(CommitItems.renamed(one, "Uno")).addItems(CommitItems.deleted(two)).build());
    }

    @Test
    void afterCatchingUpTheCopysDigestEqualsTheServersAndNothingIsListedAgain() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            history(laptop, workspace);
            ListenerApp phoneApp = new ListenerApp();
            phoneApp.offersDigest = true;
            ObservedClient observed = new ObservedClient(phone.client(), false);
            try (NotificationListener listener = NotificationListener.start(observed.client, service.clientOptions(),
                    phone.deviceId(), Map.of(workspace, SyncPosition.START), phoneApp)) {
                assertThat(listener.position(workspace)).get().extracting(SyncPosition::changeSeq).isEqualTo(4L);
                assertThat(observed.calls("getWorkspaceDigest")).isEqualTo(1);
                assertThat(phoneApp.fullListings).isEmpty();
                GetWorkspaceDigestResponse server = laptop.client().getWorkspaceDigest(
                        GetWorkspaceDigestRequest.newBuilder().setWorkspaceId(workspace).build());
                assertThat(server.getChangeSeq()).isEqualTo(4L);
                assertThat(WorkspaceDigest.of(phoneApp.versions(workspace)))
                        .isEqualTo(new WorkspaceDigest(server.getLiveItemCount(), server.getDigest()));
                assertThat(server.getLiveItemCount()).isEqualTo(2);
            }
        }
    }

    @Test
    void aCopyThatDiffersFromTheServersIsListedAgainFromScratchAndTheApplicationIsTold() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            history(laptop, workspace);
            ListenerApp phoneApp = new ListenerApp();
            phoneApp.offersDigest = true;
            SyncPosition left;
            try (NotificationListener listener = NotificationListener.start(phone.client(), service.clientOptions(),
                    phone.deviceId(), Map.of(workspace, SyncPosition.START), phoneApp)) {
                left = listener.position(workspace).orElseThrow();
            }
            assertThat(phoneApp.fullListings).isEmpty();
            long damaged = phoneApp.versions(workspace).keySet().iterator().next();
            phoneApp.corrupt(workspace, damaged);
            assertThat(phoneApp.versions(workspace)).isNotEqualTo(ListenerApp.serverVersions(laptop.client(), workspace));

            // The next catch-up (here: the next start) finds the damage and repairs it.
            try (NotificationListener listener = NotificationListener.start(phone.client(), service.clientOptions(),
                    phone.deviceId(), Map.of(workspace, left), phoneApp)) {
                assertThat(phoneApp.fullListings).containsExactly(workspace + ":DIGEST_MISMATCH", workspace + ":finished");
                assertThat(phoneApp.versions(workspace)).isEqualTo(ListenerApp.serverVersions(laptop.client(), workspace));
                assertThat(listener.position(workspace)).get().extracting(SyncPosition::changeSeq).isEqualTo(4L);
            }
        }
    }

    @Test
    void whenTheWorkspaceMovesOnBeforeEachDigestTheListenerCatchesUpAndChecksABoundedNumberOfTimes() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            history(laptop, workspace);
            ListenerApp phoneApp = new ListenerApp();
            phoneApp.offersDigest = true;
            ObservedClient observed = new ObservedClient(phone.client(), false);
            java.util.concurrent.atomic.AtomicInteger moves = new java.util.concurrent.atomic.AtomicInteger();
            // Another commit lands before every digest: it is always taken past the number caught up to.
            observed.beforeDigest = () -> laptop.newFolder(workspace, "moved-" + moves.incrementAndGet(),
                    "moved-" + moves.get());
            try (NotificationListener listener = NotificationListener.start(observed.client,
                    service.clientOptions().toBuilder().digestCheckAttempts(3).build(), phone.deviceId(),
                    Map.of(workspace, SyncPosition.START), phoneApp)) {
                assertThat(observed.calls("getWorkspaceDigest")).isEqualTo(3);
                assertThat(phoneApp.fullListings).isEmpty();

                // Once it holds still, the next catch-up's check agrees at the first attempt.
                observed.beforeDigest = () -> { };
                int before = observed.calls("getWorkspaceDigest");
                listener.close();
                try (NotificationListener again = NotificationListener.start(observed.client, service.clientOptions(),
                        phone.deviceId(), Map.of(workspace, listener.position(workspace).orElseThrow()), phoneApp)) {
                    assertThat(observed.calls("getWorkspaceDigest")).isEqualTo(before + 1);
                    assertThat(phoneApp.fullListings).isEmpty();
                    assertThat(phoneApp.versions(workspace))
                            .isEqualTo(ListenerApp.serverVersions(laptop.client(), workspace));
                }
            }
        }
    }
}
