package org.syncservice.server.sync;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.syncservice.server.core.CursorExpiredException.Reason;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.sync.SyncStore.ListedItem;
import org.syncservice.server.sync.SyncStore.ListingSnapshot;
import org.syncservice.server.sync.SyncStore.WorkspaceSequence;

/**
 * getChanges, listItemVersions and acknowledgeChanges: what a device reads to catch up. Each page
 * is read from one snapshot of the workspace and lists the items as of the listing's snapshot
 * sequence number, so a listing is the workspace at one moment even while commits go on
 * (docs/design.md, getChanges). The cost of a page grows with the changes it returns, not with
 * the size of the workspace: a listing after a cursor reads the items changed after it, through an
 * index on (workspace, change sequence). A page ends at its size in items or, earlier, at its byte
 * budget. Thread-safe.
 */
public final class ChangeFeed {
    private final SyncStore store;
    private final StandbyListings standby;
    private final CursorCodec cursors;
    private final int defaultPageSize;
    private final int maxPageSize;
    private final long pageByteBudget;

    /**
     * @param cursorKeys where the secret cursors are signed with is kept: read once, on first use
     * @param pageByteBudget a page stops before its items' wire size would exceed this (but holds
     *     at least one item)
     */
    public ChangeFeed(SyncStore store, CursorKeyStore cursorKeys, int defaultPageSize, int maxPageSize,
                      long pageByteBudget) {
        this(store, StandbyListings.none(), cursorKeys, defaultPageSize, maxPageSize, pageByteBudget);
    }

    /** @param standby serves the pages it has caught up with; the primary, {@code store}, the rest */
    public ChangeFeed(SyncStore store, StandbyListings standby, CursorKeyStore cursorKeys, int defaultPageSize,
                      int maxPageSize, long pageByteBudget) {
        this.store = store;
        this.standby = standby;
        this.cursors = new CursorCodec(new CursorSigner(cursorKeys::cursorSecret));
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
        this.pageByteBudget = pageByteBudget;
    }

    public ChangePage changes(Principal caller, UUID workspaceId, String cursorText, int requestedPageSize) {
        return changes(caller, workspaceId, ListingScope.WHOLE, cursorText, requestedPageSize);
    }

    /** A page of the listing of the subtrees {@code scope} selects (docs/protocol.md 7.9, Folder-level sync). */
    public ChangePage changes(Principal caller, UUID workspaceId, ListingScope scope, String cursorText,
                              int requestedPageSize) {
        int pageSize = pageSize(requestedPageSize, "get_changes.page_size");
        // Before the snapshot's connection is taken: the first call reads the secret on a connection of its own.
        cursors.loadKey();
        if (standby.available()) {
            Optional<ChangePage> page = fromStandby(caller, workspaceId, scope, cursorText, pageSize);
            if (page.isPresent()) {
                return page.get();
            }
        }
        return store.inSnapshot(workspaceId, caller.userId(), snapshot -> page(snapshot, workspaceId, scope,
                        cursorText.isEmpty() ? null : cursors.decode(workspaceId, cursorText), pageSize))
                .orElseThrow(() -> Workspaces.notFound(workspaceId));
    }

    /**
     * The page from the standby if it has replayed all the caller may know of: a page within a
     * listing needs the listing's snapshot; a listing that begins needs every change the primary
     * holds as it begins, the caller's own commits among them (docs/design.md, "Listings from a
     * standby"). Empty for the primary to answer, with its own verdict on cursor, selection and
     * membership.
     */
    private Optional<ChangePage> fromStandby(Principal caller, UUID workspaceId, ListingScope scope,
                                             String cursorText, int pageSize) {
        ChangeCursor cursor;
        try {
            cursor = cursorText.isEmpty() ? null : cursors.decode(workspaceId, cursorText);
        } catch (ServiceException e) {
            return Optional.empty();
        }
        WorkspaceSequence known;
        if (cursor != null && !cursor.begins()) {
            known = new WorkspaceSequence(cursor.snapshotSeq(), 0, cursor.epoch());
        } else {
            Optional<WorkspaceSequence> primary = store.sequence(workspaceId, caller.userId());
            if (primary.isEmpty()) {
                return Optional.empty();
            }
            known = new WorkspaceSequence(Math.max(primary.get().latestChangeSeq(),
                    cursor == null ? 0 : cursor.snapshotSeq()), 0, primary.get().cursorEpoch());
        }
        return standby.read(workspaceId, caller.userId(), known, snapshot -> page(snapshot, workspaceId, scope,
                cursor, pageSize));
    }

    /** @param given the caller's cursor; null for a full listing from now */
    private ChangePage page(ListingSnapshot snapshot, UUID workspaceId, ListingScope scope, ChangeCursor given,
                            int pageSize) {
        WorkspaceSequence sequence = snapshot.sequence();
        ChangeCursor cursor = given == null
                ? ChangeCursor.fullListing(sequence.latestChangeSeq(), sequence.cursorEpoch(), scope.fingerprint())
                : given;
        checkStillValid(cursor, sequence);
        checkSameScope(cursor, scope);
        if (!scope.whole()) {
            // On every page: a selected folder can be deleted and purged between two of them.
            scope.requireFolders(snapshot.folders(scope.subtreeIds()));
        }
        if (cursor.begins()) {
            // A listing begins here: it covers every change up to now, so the next one starts above
            // today's sequence number, not above the one the previous listing began at.
            cursor = cursor.startingAt(sequence.latestChangeSeq());
        }
        List<ListedItem> listed = scope.whole()
                ? snapshot.items(cursor.sinceSeq(), cursor.snapshotSeq(), cursor.position(), pageSize + 1)
                : snapshot.items(scope, cursor.sinceSeq(), cursor.snapshotSeq(), cursor.position(), pageSize + 1);
        int taken = withinBudget(listed, pageSize);
        boolean hasMore = listed.size() > taken;
        List<ItemVersion> items = new ArrayList<>(taken);
        Set<Long> outOfScope = new HashSet<>();
        for (ListedItem item : listed.subList(0, taken)) {
            items.add(item.item());
            if (item.outOfScope()) {
                outOfScope.add(item.item().itemId());
            }
        }
        ChangeCursor next;
        if (hasMore) {
            ListedItem last = listed.get(taken - 1);
            next = cursor.at(new SyncStore.ListingPosition(last.depth(), last.item().itemId()));
        } else {
            next = cursor.finished();
        }
        Map<Long, ItemLock> locks = snapshot.liveLocks(items.stream().filter(item -> !item.folder() && !item.deleted())
                .map(ItemVersion::itemId).toList());
        return new ChangePage(items, cursors.encode(workspaceId, next), hasMore, cursor.snapshotSeq(), locks,
                outOfScope);
    }

    /**
     * A cursor continues the selection it was handed out with only: with another, the items that
     * entered the selection would never be listed (they changed before the cursor), and those
     * that left it never dropped. The device lists a new selection from an empty cursor.
     */
    private static void checkSameScope(ChangeCursor cursor, ListingScope scope) {
        if (!cursor.scope().equals(scope.fingerprint())) {
            throw ServiceException.invalidArgument("get_changes.subtree_ids", "the cursor was handed out for "
                    + (cursor.scope().isEmpty() ? "the whole workspace" : "another selection of subtree_ids")
                    + "; continue it with the subtree_ids it was handed out with, or list the new selection"
                    + " from an empty cursor");
        }
    }

    /**
     * A cursor of another epoch is from before a restored backup (or of a database since
     * recreated); one below the purge horizon needs tombstones or versions that may be gone; one
     * ahead of the workspace is of a history this database does not have. Checked on every page,
     * since a purge can pass a listing's snapshot while its pages are read. The epoch is checked
     * first: a restored database's purge horizon says nothing of a cursor of the lost history.
     */
    private static void checkStillValid(ChangeCursor cursor, WorkspaceSequence sequence) {
        if (cursor.epoch() != sequence.cursorEpoch()) {
            throw ServiceException.cursorExpired("the cursor is from an earlier epoch of this service's database"
                    + " (restored or recreated since); " + CursorCodec.RELIST, Reason.HISTORY_REWOUND);
        }
        boolean missesTombstones = cursor.sinceSeq() != ChangeCursor.FULL
                && cursor.sinceSeq() < sequence.purgedUpToSeq();
        if (missesTombstones || cursor.snapshotSeq() < sequence.purgedUpToSeq()) {
            throw ServiceException.cursorExpired("the cursor is older than the workspace's kept history; "
                    + CursorCodec.RELIST, Reason.HISTORY_PURGED);
        }
        if (cursor.snapshotSeq() > sequence.latestChangeSeq()) {
            // Ahead of the workspace: a database restored without a new epoch.
            throw ServiceException.cursorExpired("the cursor does not belong to this workspace's history; "
                    + CursorCodec.RELIST, Reason.HISTORY_REWOUND);
        }
    }

    /** How many of the listed items the page takes: at most {@code pageSize}, within the byte budget, at least one. */
    private int withinBudget(List<ListedItem> listed, int pageSize) {
        int limit = Math.min(pageSize, listed.size());
        long bytes = 0;
        for (int i = 0; i < limit; i++) {
            bytes += ItemWireSize.of(listed.get(i).item());
            if (bytes > pageByteBudget && i > 0) {
                return i;
            }
        }
        return limit;
    }

    /** An item's versions below {@code beforeVersion} (0: from the latest), newest first. */
    public VersionPage versions(Principal caller, UUID workspaceId, long itemId, long beforeVersion,
                                int requestedPageSize) {
        int pageSize = pageSize(requestedPageSize, "list_item_versions.page_size");
        if (beforeVersion < 0) {
            throw ServiceException.invalidArgument("list_item_versions.before_version", "before_version is negative");
        }
        List<ItemVersion> versions = store.versions(workspaceId, caller.userId(), itemId,
                        beforeVersion == 0 ? Long.MAX_VALUE : beforeVersion, pageSize + 1)
                .orElseThrow(() -> ServiceException.notFound("no item " + itemId + " in workspace " + workspaceId));
        boolean hasMore = versions.size() > pageSize;
        return new VersionPage(hasMore ? versions.subList(0, pageSize) : versions, hasMore);
    }

    public void acknowledge(Principal caller, UUID workspaceId, long changeSeq) {
        if (changeSeq < 0) {
            throw ServiceException.invalidArgument("acknowledge_changes.change_seq", "change_seq is negative");
        }
        if (!store.acknowledge(workspaceId, caller.userId(), caller.deviceId(), changeSeq)) {
            throw Workspaces.notFound(workspaceId);
        }
    }

    private int pageSize(int requested, String field) {
        if (requested < 0) {
            throw ServiceException.invalidArgument(field, "page_size is negative");
        }
        return requested == 0 ? defaultPageSize : Math.min(requested, maxPageSize);
    }

    /** Versions of one item, newest first. */
    public record VersionPage(List<ItemVersion> versions, boolean hasMore) {
        public VersionPage {
            versions = List.copyOf(versions);
        }
    }
}
