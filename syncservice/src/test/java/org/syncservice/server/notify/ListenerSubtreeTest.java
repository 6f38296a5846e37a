package org.syncservice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncservice.client.NotificationListener;
import org.syncservice.client.SyncPosition;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.Item;
import org.syncservice.server.testing.CommitItems;

/**
 * The SDK's listener for an application that keeps some folders only
 * ({@code NotificationHandler.subtreeIds}): it lists those subtrees, fetches only commits that
 * touched a folder the application holds, hands over items that left the selection flagged
 * out_of_scope, and never checks the whole workspace's digest against the partial copy.
 */
class ListenerSubtreeTest extends ServiceWithDevices {

    @Test
    void aScopedListenerListsItsFoldersAndFetchesOnlyCommitsThatTouchedThem() throws Exception {
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            Item work = laptop.newFolder(workspace, "Work", "work").getResults(0).getCurrent();
            Item other = laptop.newFolder(workspace, "Other", "other").getResults(0).getCurrent();
            Item sub = commit(laptop, workspace, CommitItems.in(work.getItemId(), CommitItems.newFolder("s", "Sub")));
            commit(laptop, workspace, CommitItems.in(other.getItemId(), CommitItems.newFolder("d", "Deep")));

            ListenerApp phoneApp = new ListenerApp();
            phoneApp.offersDigest = true;
            phoneApp.subtrees = List.of(work.getItemId());
            ObservedClient observed = new ObservedClient(phone.client(), false);
            try (NotificationListener listener = NotificationListener.start(observed.client, service.clientOptions(),
                    phone.deviceId(), Map.of(workspace, SyncPosition.START), phoneApp)) {
                assertThat(phoneApp.versions(workspace)).containsOnlyKeys(work.getItemId(), sub.getItemId());
                assertThat(observed.calls("getWorkspaceDigest")).as("a partial copy never matches the digest")
                        .isZero();

                // A commit outside the selection: the number moves on, nothing is fetched.
                int listings = observed.getChangesCalls(workspace);
                long outside = laptop.client().commit(CommitRequest.newBuilder().setWorkspaceId(workspace)
                        .addItems(CommitItems.in(other.getItemId(), CommitItems.newFolder("n", "Elsewhere")))
                        .build()).getChangeSeq();
                assertThat(ListenerApp.await(() -> listener.position(workspace).orElseThrow().changeSeq() >= outside))
                        .isTrue();
                assertThat(observed.getChangesCalls(workspace)).isEqualTo(listings);
                assertThat(phoneApp.names()).doesNotContain("Elsewhere", "Deep", "Other");

                // One inside: fetched with get_changes and handed over.
                Item fresh = commit(laptop, workspace, CommitItems.in(work.getItemId(), CommitItems.newFolder("f", "Fresh")));
                assertThat(ListenerApp.await(() -> phoneApp.versions(workspace).containsKey(fresh.getItemId()))).isTrue();
                assertThat(observed.getChangesCalls(workspace)).isGreaterThan(listings);

                // Moved out: handed over flagged out_of_scope, and gone from the copy.
                laptop.client().commit(CommitRequest.newBuilder().setWorkspaceId(workspace)
                        .addItems(CommitItems.moved(sub, other.getItemId())).build());
                assertThat(ListenerApp.await(() -> !phoneApp.versions(workspace).containsKey(sub.getItemId())))
                        .isTrue();
                assertThat(phoneApp.changes.stream().flatMap(c -> c.items().stream())
                        .filter(i -> i.getItemId() == sub.getItemId()).anyMatch(Item::getOutOfScope)).isTrue();
                assertThat(observed.calls("getWorkspaceDigest")).isZero();
                assertThat(phoneApp.fullListings).isEmpty();
            }
        }
    }

    private static Item commit(Devices.Device device, String workspace, org.syncservice.protocol.v1.CommitItem item) {
        return device.client().commit(CommitRequest.newBuilder().setWorkspaceId(workspace).addItems(item).build())
                .getResults(0).getCurrent();
    }
}
