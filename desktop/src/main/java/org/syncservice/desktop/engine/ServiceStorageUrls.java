package org.syncservice.desktop.engine;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.desktop.content.StorageUrls;
import org.syncservice.protocol.v1.GetMissingChunksRequest;
import org.syncservice.protocol.v1.GetStorageUrlsRequest;
import org.syncservice.protocol.v1.SignedUrl;
import org.syncservice.protocol.v1.StorageAccess;

/**
 * Signed URLs and chunk presence for one workspace, asked of the service. Against a service that
 * does not offer {@code get_missing_chunks}, every chunk counts as missing (uploading a chunk again
 * is harmless: it is named by its content). Thread-safe (the SDK client is).
 */
final class ServiceStorageUrls implements StorageUrls {
    private final SyncClient client;
    private final String workspaceId;
    private final boolean missingOffered;

    ServiceStorageUrls(SyncClient client, String workspaceId, boolean missingOffered) {
        this.client = client;
        this.workspaceId = workspaceId;
        this.missingOffered = missingOffered;
    }

    @Override
    public List<SignedUrl> urls(StorageAccess access, List<String> chunks) throws IOException {
        try {
            return Retries.call(() -> client.getStorageUrls(GetStorageUrlsRequest.newBuilder()
                    .setWorkspaceId(workspaceId).setAccess(access).addAllChunks(chunks).build()).getUrlsList());
        } catch (SyncServiceException e) {
            throw new IOException("get_storage_urls failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Set<String> missing(List<String> chunks) throws IOException {
        if (!missingOffered) {
            return new LinkedHashSet<>(chunks);
        }
        try {
            return new LinkedHashSet<>(Retries.call(() -> client.getMissingChunks(GetMissingChunksRequest.newBuilder()
                    .setWorkspaceId(workspaceId).addAllChunks(chunks).build()).getMissingList()));
        } catch (SyncServiceException e) {
            throw new IOException("get_missing_chunks failed: " + e.getMessage(), e);
        }
    }
}
