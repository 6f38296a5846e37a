package org.syncservice.embedded.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.GetStorageUrlsRequest;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.protocol.v1.SignedUrl;
import org.syncservice.protocol.v1.StorageAccess;

/**
 * One device of the demo user: its own client (and so its own token), the workspace it syncs,
 * its {@code get_changes} cursor, and chunk transfers through signed URLs. Used by one thread.
 */
final class Device implements AutoCloseable {
    private final String name;
    private final SyncClient client;
    private final ChunkTransfer transfer;
    private final String deviceId;
    private final String workspaceId;
    private String cursor = "";
    private long changeSeq;

    private Device(String name, SyncClient client, ChunkTransfer transfer, String deviceId, String workspaceId) {
        this.name = name;
        this.client = client;
        this.transfer = transfer;
        this.deviceId = deviceId;
        this.workspaceId = workspaceId;
    }

    static Device login(SyncClientOptions options, String email, String password, String name,
                        ChunkTransfer transfer) {
        SyncClient client = SyncClient.connect(options.toBuilder().connectionName("demo " + name).build());
        try {
            LoginResponse login = client.login(LoginRequest.newBuilder()
                    .setEmail(email).setPassword(password)
                    .setDeviceName(name).setOs("demo").setAppVersion("1.0").build());
            // The default (personal) workspace is the one mounted at the sync root.
            String workspaceId = client.listWorkspaces().getWorkspacesList().stream()
                    .filter(workspace -> workspace.getMountPoint().isEmpty())
                    .findFirst()
                    .orElseThrow(() -> new DemoFailure(email + " has no default workspace"))
                    .getWorkspaceId();
            return new Device(name, client, transfer, login.getDeviceId(), workspaceId);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    String name() {
        return name;
    }

    String deviceId() {
        return deviceId;
    }

    String workspaceId() {
        return workspaceId;
    }

    /** The {@code get_changes} cursor this device has reached. */
    String cursor() {
        return cursor;
    }

    /** The highest change sequence number this device has fetched. */
    long changeSeq() {
        return changeSeq;
    }

    SyncClient client() {
        return client;
    }

    /** Puts every chunk of the content into storage; returns how many chunks went up. */
    int upload(FileContent content) {
        List<SignedUrl> urls = client.getStorageUrls(GetStorageUrlsRequest.newBuilder()
                .setWorkspaceId(workspaceId).setAccess(StorageAccess.STORAGE_ACCESS_WRITE)
                .addAllChunks(content.chunks().keySet()).build()).getUrlsList();
        for (SignedUrl url : urls) {
            byte[] bytes = content.chunks().get(url.getChunk());
            if (bytes == null) {
                throw new DemoFailure("the service signed a URL for a chunk that was not asked for: " + url.getChunk());
            }
            transfer.put(url, bytes);
        }
        if (urls.size() != content.chunks().size()) {
            throw new DemoFailure("asked for " + content.chunks().size() + " upload URLs, got " + urls.size());
        }
        return urls.size();
    }

    /** Fetches the file's chunks from storage and puts them together. */
    byte[] download(Item file) {
        List<SignedUrl> urls = client.getStorageUrls(GetStorageUrlsRequest.newBuilder()
                .setWorkspaceId(workspaceId).setAccess(StorageAccess.STORAGE_ACCESS_READ)
                .addAllChunks(file.getChunksList().stream().distinct().toList()).build()).getUrlsList();
        Map<String, SignedUrl> byChunk = new java.util.HashMap<>();
        urls.forEach(url -> byChunk.put(url.getChunk(), url));
        List<byte[]> parts = new ArrayList<>();
        for (String chunk : file.getChunksList()) {
            SignedUrl url = byChunk.get(chunk);
            if (url == null) {
                throw new DemoFailure("no download URL for chunk " + chunk);
            }
            parts.add(transfer.get(url));
        }
        return FileContent.join(parts);
    }

    CommitResponse commit(CommitItem... items) {
        return client.commit(CommitRequest.newBuilder().setWorkspaceId(workspaceId).addAllItems(List.of(items)).build());
    }

    /** Commits the items and insists every one of them is COMMITTED; returns the response. */
    CommitResponse commitExpectingSuccess(String what, CommitItem... items) {
        CommitResponse response = commit(items);
        for (CommitItemResult result : response.getResultsList()) {
            if (result.getOutcome() != CommitOutcome.COMMIT_OUTCOME_COMMITTED) {
                throw new DemoFailure(what + ": expected COMMITTED, the service answered " + result.getOutcome()
                        + (result.getMessage().isEmpty() ? "" : " (" + result.getMessage() + ")"));
            }
        }
        return response;
    }

    /** Everything that changed since this device's cursor (every page), moving the cursor on. */
    List<Item> changes() {
        List<Item> items = new ArrayList<>();
        GetChangesResponse page;
        do {
            page = client.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(workspaceId).setCursor(cursor).build());
            items.addAll(page.getItemsList());
            cursor = page.getNextCursor();
            changeSeq = Math.max(changeSeq, page.getChangeSeq());
        } while (page.getHasMore());
        return items;
    }

    @Override
    public void close() {
        client.close();
    }
}
