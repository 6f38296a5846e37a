package org.syncservice.server.notify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.syncservice.client.FullListingReason;
import org.syncservice.client.NotificationHandler;
import org.syncservice.client.SyncClient;
import org.syncservice.client.TrackingStop;
import org.syncservice.client.WorkspaceChanges;
import org.syncservice.client.WorkspaceDigest;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;

/**
 * An application on the SDK's listener that keeps a copy of each workspace (live items by id) as
 * protocol.md says a device does, reconciles full listings, and records what it was told. Its
 * callbacks run on the listener's thread; the test thread reads the concurrent collections.
 */
final class ListenerApp implements NotificationHandler {
    final List<WorkspaceChanges> changes = new CopyOnWriteArrayList<>();
    final List<String> fullListings = new CopyOnWriteArrayList<>();
    final Map<String, TrackingStop> stops = new ConcurrentHashMap<>();
    private final Map<String, Map<Long, Item>> copies = new ConcurrentHashMap<>();
    private final Map<String, Set<Long>> listedLive = new ConcurrentHashMap<>();
    volatile boolean offersDigest;
    /** Folder-level sync: the folders kept (empty: the whole workspace). */
    volatile List<Long> subtrees = List.of();

    @Override
    public void onChanges(WorkspaceChanges received) {
        changes.add(received);
        Map<Long, Item> copy = copies.computeIfAbsent(received.workspaceId(), ws -> new ConcurrentHashMap<>());
        Set<Long> listed = listedLive.get(received.workspaceId());
        for (Item item : received.items()) {
            if (listed != null) {
                // A full listing reports the server's state: it wins over whatever the copy holds.
                listed.add(item.getItemId());
                copy.put(item.getItemId(), item);
            } else if (item.getStatus() == ItemStatus.ITEM_STATUS_DELETED || item.getOutOfScope()) {
                copy.remove(item.getItemId());
            } else {
                copy.merge(item.getItemId(), item, (old, fresh) -> fresh.getVersion() >= old.getVersion() ? fresh : old);
            }
        }
    }

    @Override
    public void onFullListingStarted(String workspaceId, FullListingReason reason) {
        fullListings.add(workspaceId + ':' + reason);
        listedLive.put(workspaceId, ConcurrentHashMap.newKeySet());
    }

    @Override
    public void onFullListingFinished(String workspaceId, long changeSeq) {
        Set<Long> listed = listedLive.remove(workspaceId);
        copies.computeIfAbsent(workspaceId, ws -> new ConcurrentHashMap<>()).keySet().retainAll(listed);
        fullListings.add(workspaceId + ":finished");
    }

    @Override
    public void onTrackingStopped(String workspaceId, TrackingStop stop) {
        stops.put(workspaceId, stop);
    }

    @Override
    public Optional<WorkspaceDigest> localDigest(String workspaceId) {
        return offersDigest ? Optional.of(WorkspaceDigest.of(versions(workspaceId))) : Optional.empty();
    }

    @Override
    public List<Long> subtreeIds(String workspaceId) {
        return subtrees;
    }

    @Override
    public boolean holdsFolder(String workspaceId, long folderId) {
        Item held = copies.getOrDefault(workspaceId, Map.of()).get(folderId);
        return held != null && held.getIsFolder();
    }

    /** The copy: the version of every live item by id. */
    Map<Long, Long> versions(String workspaceId) {
        Map<Long, Long> versions = new TreeMap<>();
        copies.getOrDefault(workspaceId, Map.of()).forEach((id, item) -> versions.put(id, item.getVersion()));
        return versions;
    }

    /** Damages the copy as a bug or a lost write would: one item's version changes. */
    void corrupt(String workspaceId, long itemId) {
        copies.get(workspaceId).computeIfPresent(itemId, (id, item) -> item.toBuilder().setVersion(item.getVersion() + 41).build());
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        for (WorkspaceChanges received : changes) {
            received.items().stream().map(Item::getName).forEach(names::add);
        }
        return names;
    }

    /** The changes whose items include one named {@code name}. */
    List<WorkspaceChanges> changesNaming(String name) {
        return changes.stream().filter(c -> c.items().stream().anyMatch(i -> i.getName().equals(name))).toList();
    }

    /** Waits up to {@link Devices#PATIENCE} for {@code condition}; returns whether it came true. */
    static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Devices.PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The server's state of a workspace as a fresh device lists it: the version of every live item. */
    static Map<Long, Long> serverVersions(SyncClient client, String workspaceId) {
        Map<Long, Long> versions = new TreeMap<>();
        String cursor = "";
        GetChangesResponse page;
        do {
            page = client.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(workspaceId).setCursor(cursor).build());
            page.getItemsList().forEach(item -> versions.put(item.getItemId(), item.getVersion()));
            cursor = page.getNextCursor();
        } while (page.getHasMore());
        return versions;
    }
}
