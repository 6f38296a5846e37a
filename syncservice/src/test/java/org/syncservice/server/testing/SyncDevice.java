package org.syncservice.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.syncservice.client.SyncClient;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ListItemVersionsRequest;
import org.syncservice.protocol.v1.ListItemVersionsResponse;

/**
 * One logged-in device of a test user, with short-hands for the sync operations on the user's
 * default workspace. Thread-safe as far as its {@link SyncClient} is.
 */
public final class SyncDevice {
    /** How to log in as the user again, and what the user owns. */
    public record Credentials(String email, String password, UUID userId, UUID workspaceId) {
    }

    private final SyncClient client;
    private final Credentials credentials;
    private final String deviceId;

    SyncDevice(SyncClient client, Credentials credentials, String deviceId) {
        this.client = client;
        this.credentials = credentials;
        this.deviceId = deviceId;
    }

    public SyncClient client() {
        return client;
    }

    public Credentials credentials() {
        return credentials;
    }

    public String deviceId() {
        return deviceId;
    }

    /** The user's default workspace id, as the wire carries it. */
    public String workspace() {
        return credentials.workspaceId().toString();
    }

    public CommitResponse commit(CommitItem... items) {
        return commit(List.of(items));
    }

    public CommitResponse commit(List<CommitItem> items) {
        return client.commit(request(items));
    }

    public CommitResponse commitAs(String requestId, CommitItem... items) {
        return client.commit(request(List.of(items)), requestId);
    }

    public CommitRequest request(List<CommitItem> items) {
        return CommitRequest.newBuilder().setWorkspaceId(workspace()).addAllItems(items).build();
    }

    /** Commits one item and returns its stored version; fails unless it was committed. */
    public Item create(CommitItem item) {
        CommitItemResult result = commit(item).getResults(0);
        if (result.getOutcome() != CommitOutcome.COMMIT_OUTCOME_COMMITTED) {
            throw new AssertionError("expected " + item + " to be committed, got " + result);
        }
        return result.getCurrent();
    }

    public GetChangesResponse changes(String cursor, int pageSize) {
        return changes(List.of(), cursor, pageSize);
    }

    /** A page of the listing of the subtrees of {@code subtreeIds} (empty: the whole workspace). */
    public GetChangesResponse changes(List<Long> subtreeIds, String cursor, int pageSize) {
        return client.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(workspace()).setCursor(cursor)
                .setPageSize(pageSize).addAllSubtreeIds(subtreeIds).build());
    }

    /** Every page from {@code cursor} to the end; the last answer's cursor is in {@link Listing#cursor}. */
    public Listing listFrom(String cursor, int pageSize) {
        return listFrom(List.of(), cursor, pageSize);
    }

    /** Every page of the listing of some subtrees from {@code cursor} to the end. */
    public Listing listFrom(List<Long> subtreeIds, String cursor, int pageSize) {
        List<Item> items = new ArrayList<>();
        List<GetChangesResponse> pages = new ArrayList<>();
        GetChangesResponse page;
        String next = cursor;
        do {
            page = changes(subtreeIds, next, pageSize);
            pages.add(page);
            items.addAll(page.getItemsList());
            next = page.getNextCursor();
        } while (page.getHasMore());
        return new Listing(items, next, page.getChangeSeq(), pages.size());
    }

    /** The full listing of the workspace. */
    public Listing listAll() {
        return listFrom("", 0);
    }

    /** The workspace's latest change sequence number, as a full listing reports it. */
    public long changeSeq() {
        return changes("", 1).getChangeSeq();
    }

    public List<Item> versions(long itemId) {
        return versionsPage(itemId, 0, 0).getVersionsList();
    }

    public ListItemVersionsResponse versionsPage(long itemId, long beforeVersion, int pageSize) {
        return client.listItemVersions(ListItemVersionsRequest.newBuilder().setWorkspaceId(workspace())
                .setItemId(itemId).setBeforeVersion(beforeVersion).setPageSize(pageSize).build());
    }

    public long quotaUsed() {
        return client.getAccountInfo().getAccount().getQuotaUsedBytes();
    }

    /** The items of one or more pages of get_changes, with where to continue. */
    public record Listing(List<Item> items, String cursor, long changeSeq, int pages) {
        public Item named(String name) {
            return items.stream().filter(i -> i.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no item named " + name + " in " + items));
        }
    }
}
