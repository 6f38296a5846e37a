package org.syncservice.desktop.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.client.FullListingReason;
import org.syncservice.client.NotificationHandler;
import org.syncservice.client.SyncPosition;
import org.syncservice.client.TrackingStop;
import org.syncservice.client.WorkspaceChanges;
import org.syncservice.client.WorkspaceDigest;
import org.syncservice.desktop.state.RemoteItem;
import org.syncservice.desktop.state.StateDatabase;
import org.syncservice.protocol.v1.DeviceRevoked;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.WorkspaceEvent;
import org.syncservice.protocol.v1.WorkspaceEventKind;

/**
 * Feeds the remote tree from the SDK's notification listener: every change it hands over is
 * recorded in the state database, with the position reached, before the handler returns, and wakes
 * the engine. The listener's own guarantees (each change once and in order, catch-up after gaps,
 * a full listing when a cursor expires, a digest check) make the remote tree a faithful copy.
 * Called on the listener's dispatch thread.
 */
final class RemoteFeed implements NotificationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteFeed.class);

    private final String workspaceId;
    private final StateDatabase state;
    private final Runnable wake;
    private final java.util.function.Consumer<String> fatal;
    private final WorkspaceRole role;
    private final FolderSelection selection;
    private volatile java.util.function.Supplier<Optional<SyncPosition>> position = Optional::empty;
    /**
     * A full listing after the service's history went back is being gathered: its items and the
     * listener's position are kept apart until it is complete. A kill meanwhile leaves the old
     * (expired) position stored, so the next start lists again.
     */
    private volatile boolean rewinding;

    RemoteFeed(String workspaceId, StateDatabase state, Runnable wake, java.util.function.Consumer<String> fatal,
               WorkspaceRole role, FolderSelection selection) {
        this.workspaceId = workspaceId;
        this.selection = selection;
        this.role = role;
        this.state = state;
        this.wake = wake;
        this.fatal = fatal;
    }

    /** Where the listener stands, read after each hand-over to persist with the next one. */
    void positionFrom(java.util.function.Supplier<Optional<SyncPosition>> position) {
        this.position = position;
    }

    @Override
    public void onChanges(WorkspaceChanges changes) {
        if (!changes.workspaceId().equals(workspaceId)) {
            return;
        }
        List<RemoteItem> items = new ArrayList<>(changes.items().size());
        for (Item item : changes.items()) {
            items.add(RemoteItems.of(item));
        }
        if (rewinding) {
            state.recordRelisted(items);
            return;
        }
        // The listener's position covers what it handed over before this call: all recorded already.
        state.recordRemote(items, workspaceId, position.get().orElse(null));
        if (!changes.ownCommit()) {
            // A commit of this device's own is in the trees already (its answer put it there).
            wake.run();
        }
    }

    /** Persists where the listener stands now (on close, and after rounds). */
    void savePosition() {
        if (rewinding) {
            return;
        }
        position.get().ifPresent(p -> state.recordRemote(List.of(), workspaceId, p));
    }

    @Override
    public void onFullListingStarted(String workspace, FullListingReason reason) {
        LOG.info("listing workspace {} again from scratch ({})", workspace, reason);
        if (reason == FullListingReason.HISTORY_REWOUND) {
            // The service lost what came after its backup: this device's copy is no merge base,
            // and what the listing lacks is to be pushed again, never deleted here (docs/client.md).
            rewinding = true;
            state.startRewoundListing();
        } else {
            state.startFullListing();
        }
    }

    @Override
    public void onFullListingFinished(String workspace, long changeSeq) {
        if (rewinding) {
            int[] outcome = state.finishRewoundListing(workspaceId, position.get().orElse(null));
            rewinding = false;
            LOG.warn("the service's database of workspace {} was restored from a backup: of the items agreed on,"
                    + " {} are as agreed, {} are pushed again from an earlier version, {} are matched again by"
                    + " place and content (with what is under them)", workspace, outcome[0], outcome[1], outcome[2]);
        } else {
            state.finishFullListing();
        }
        wake.run();
    }

    @Override
    public void onTrackingStopped(String workspace, TrackingStop stop) {
        fatal.accept("the service stopped serving this workspace to this device: " + stop);
    }

    @Override
    public void onWorkspaceEvent(WorkspaceEvent event) {
        if (event.getKind() == WorkspaceEventKind.WORKSPACE_EVENT_KIND_PERMISSIONS_CHANGED) {
            // Held-back changes go up once the role allows it; new ones stay local once it does not.
            role.changed(event.getWorkspace());
            wake.run();
        }
    }

    @Override
    public void onDeviceRevoked(DeviceRevoked revoked) {
        fatal.accept("this device was unregistered; log in again");
    }

    @Override
    public List<Long> subtreeIds(String workspace) {
        return selection.ids();
    }

    @Override
    public boolean holdsFolder(String workspace, long folderId) {
        return selection.selects(folderId) || state.holdsLiveFolder(folderId);
    }

    /**
     * The remote tree's digest; none for some folders only: the service's digest sums up the whole
     * workspace, which this copy never matches.
     */
    @Override
    public Optional<WorkspaceDigest> localDigest(String workspace) {
        if (!selection.whole()) {
            return Optional.empty();
        }
        return Optional.of(WorkspaceDigest.of(state.liveRemoteVersions()));
    }
}
