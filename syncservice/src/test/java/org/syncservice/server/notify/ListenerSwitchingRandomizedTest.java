package org.syncservice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.syncservice.client.NotificationListener;
import org.syncservice.client.SyncPosition;
import org.syncservice.client.WorkspaceChanges;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.server.testing.CommitItems;

/**
 * Random push outages among random commits (of another device and of the listening device
 * itself): whatever the order, the listener ends with the server's state, each change handed over
 * once. The seed is printed on failure; replay with {@code -Dlistener.seed=N}; a longer run:
 * {@code -Dlistener.steps=400}.
 */
class ListenerSwitchingRandomizedTest extends ServiceWithDevices {
    private static final int STEPS = Integer.getInteger("listener.steps", 30);
    private static final Duration POLL = Duration.ofMillis(200);

    @Test
    void afterRandomPushOutagesAndCommitsTheListenersCopyEqualsTheServers() throws Exception {
        long seed = Long.getLong("listener.seed", System.nanoTime());
        String replay = "seed " + seed + " (replay with -Dlistener.seed=" + seed + ")";
        Random random = new Random(seed);
        Devices.User ann = devices.newUser("Ann");
        try (Devices.Device laptop = devices.login(ann, "laptop"); Devices.Device phone = devices.login(ann, "phone")) {
            String workspace = laptop.defaultWorkspace();
            String queue = phone.client().subscribeNotifications().getQueue();
            ListenerApp phoneApp = new ListenerApp();
            Map<Long, Item> live = new HashMap<>();
            // The listener starts on the empty workspace: its first listing reaches change 0, and
            // what follows (items by push, deletions by a later listing) must still arrive.
            long latest = 0;
            PushOutage outage = null;
            List<String> steps = new ArrayList<>();
            try (NotificationListener listener = NotificationListener.start(phone.client(),
                    service.clientOptions().toBuilder().pollInterval(POLL).build(), phone.deviceId(),
                    Map.of(workspace, SyncPosition.START), phoneApp)) {
                for (int step = 0; step < STEPS; step++) {
                    int action = random.nextInt(10);
                    List<Item> items = new ArrayList<>(live.values());
                    items.sort((a, b) -> Long.compare(a.getItemId(), b.getItemId()));
                    if (action <= 1) {
                        if (outage == null) {
                            outage = PushOutage.begin(queue);
                            steps.add("push down");
                        } else {
                            outage.close();
                            outage = null;
                            steps.add("push back");
                        }
                    } else if (action == 9) {
                        Thread.sleep(random.nextInt(300));
                    } else {
                        Devices.Device committer = action == 8 ? phone : laptop;
                        CommitRequest.Builder commit = CommitRequest.newBuilder().setWorkspaceId(workspace);
                        if (action <= 4 || items.isEmpty()) {
                            commit.addItems(CommitItems.newFolder("n", "folder-" + step));
                        } else {
                            Item pick = items.get(random.nextInt(items.size()));
                            commit.addItems(action <= 6 ? CommitItems.renamed(pick, "renamed-" + step)
                                    : CommitItems.deleted(pick));
                        }
                        CommitResponse response = committer.client().commit(commit.build());
                        Item current = response.getResults(0).getCurrent();
                        if (current.getStatus() == ItemStatus.ITEM_STATUS_DELETED) {
                            live.remove(current.getItemId());
                        } else {
                            live.put(current.getItemId(), current);
                        }
                        latest = response.getChangeSeq();
                        steps.add(latest + (committer == phone ? " own " : " other ") + current.getItemId() + '@'
                                + current.getVersion());
                    }
                }
                if (outage != null) {
                    outage.close();
                }
                long reached = latest;
                assertThat(ListenerApp.await(() -> listener.isPushActive()
                        && listener.position(workspace).map(SyncPosition::changeSeq).orElse(-1L) == reached))
                        .as("%s: push back and change %d reached, at %s", replay, reached, listener.position(workspace))
                        .isTrue();
                assertThat(phoneApp.versions(workspace)).as("%s; steps: %s; handed over: %s", replay, steps, summary(phoneApp.changes))
                        .isEqualTo(ListenerApp.serverVersions(laptop.client(), workspace));
                Set<String> handedOver = new HashSet<>();
                for (WorkspaceChanges changes : phoneApp.changes) {
                    for (Item item : changes.items()) {
                        assertThat(handedOver.add(item.getItemId() + "@" + item.getVersion()))
                                .as("%s: item %d version %d handed over twice", replay, item.getItemId(), item.getVersion())
                                .isTrue();
                    }
                }
                assertThat(phoneApp.fullListings).as(replay).isEmpty();
            } finally {
                if (outage != null) {
                    outage.close();
                }
            }
        }
    }

    /** What the application was handed, compactly: change number, how, and item@version per item. */
    private static String summary(List<WorkspaceChanges> changes) {
        StringBuilder s = new StringBuilder();
        for (WorkspaceChanges c : changes) {
            s.append('\n').append(c.changeSeq()).append(c.fromCatchUp() ? " listed" : c.ownCommit() ? " own" : " pushed");
            for (Item item : c.items()) {
                s.append(' ').append(item.getItemId()).append('@').append(item.getVersion())
                        .append(item.getStatus() == ItemStatus.ITEM_STATUS_DELETED ? "x" : "");
            }
        }
        return s.toString();
    }
}
