package org.syncservice.server.storage;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.sync.ChunkVerifier;
import org.syncservice.server.sync.StoredChunkSizes;

/**
 * Checks a commit's chunks against the workspace's place in storage, sizes included: about one
 * back-end request per chunk (S3 for a large batch: pages of a listing; FTP: a listing and a
 * modification-time request per stored chunk), which is why the check is off by default.
 * Thread-safe.
 */
public final class StoredChunkVerifier implements ChunkVerifier {
    private final WorkspaceLocations workspaces;
    private final ChunkStorage storage;

    public StoredChunkVerifier(WorkspaceLocations workspaces, ChunkStorage storage) {
        this.workspaces = workspaces;
        this.storage = storage;
    }

    @Override
    public StoredChunkSizes stored(UUID userId, UUID workspaceId, Collection<String> chunks) {
        if (chunks.isEmpty()) {
            return StoredChunkSizes.of(Map.of());
        }
        Map<String, StoredChunk> stored = workspaces.locationForMember(userId, workspaceId)
                .map(location -> storage.storedChunks(location, chunks))
                .orElseThrow(() -> ServiceException.notFound("workspace " + workspaceId + " not found"));
        Map<String, Long> sizes = new HashMap<>();
        stored.forEach((chunk, found) -> sizes.put(chunk, found.sizeBytes()));
        return StoredChunkSizes.of(sizes);
    }
}
