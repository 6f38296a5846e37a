package org.syncservice.server.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.sync.SyncStore.ListedItem;
import org.syncservice.server.sync.SyncStore.WorkspaceSequence;

/**
 * getChanges, listItemVersions and acknowledgeChanges: what a device reads to catch up. The cost
 * of a page grows with the changes it returns, not with the size of the workspace: a listing after
 * a cursor reads the items changed after it, through an index on (workspace, change sequence).
 * Thread-safe.
 */
public final class ChangeFeed {
    private final SyncStore store;
    private final int defaultPageSize;
    private final int maxPageSize;

    public ChangeFeed(SyncStore store, int defaultPageSize, int maxPageSize) {
        this.store = store;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
    }

    public ChangePage changes(Principal caller, UUID workspaceId, String cursorText, int requestedPageSize) {
        int pageSize = pageSize(requestedPageSize, "get_changes.page_size");
        WorkspaceSequence sequence = store.sequence(workspaceId, caller.userId())
                .orElseThrow(() -> Workspaces.notFound(workspaceId));
        ChangeCursor cursor = cursorText.isEmpty()
                ? ChangeCursor.fullListing(sequence.latestChangeSeq())
                : ChangeCursor.decode(cursorText).orElseThrow(() -> ServiceException.invalidArgument(
                        "get_changes.cursor", "the cursor is not one this service handed out"));
        if (cursor.sinceSeq() > 0 && cursor.sinceSeq() < sequence.purgedUpToSeq()) {
            throw ServiceException.cursorExpired("the cursor is older than the workspace's kept history; list again"
                    + " from an empty cursor");
        }
        if (cursor.snapshotSeq() > sequence.latestChangeSeq()) {
            throw ServiceException.cursorExpired("the cursor does not belong to this workspace's history; list again"
                    + " from an empty cursor");
        }
        if (cursor.position().equals(SyncStore.ListingPosition.START)) {
            // A listing begins here: it covers every change up to now, so the next one starts above
            // today's sequence number, not above the one the previous listing began at.
            cursor = cursor.startingAt(sequence.latestChangeSeq());
        }
        List<ListedItem> listed = store.changedItems(workspaceId, caller.userId(), cursor.sinceSeq(),
                cursor.position(), pageSize + 1);
        boolean hasMore = listed.size() > pageSize;
        List<ListedItem> page = hasMore ? listed.subList(0, pageSize) : listed;
        List<ItemVersion> items = new ArrayList<>(page.size());
        for (ListedItem item : page) {
            items.add(item.item());
        }
        ChangeCursor next;
        if (hasMore) {
            ListedItem last = page.get(page.size() - 1);
            next = cursor.at(new SyncStore.ListingPosition(last.depth(), last.item().itemId()));
        } else {
            next = ChangeCursor.after(cursor.snapshotSeq());
        }
        return new ChangePage(items, next.encode(), hasMore, cursor.snapshotSeq());
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
