package org.syncservice.server.storage;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.sync.ChunkVerifier;
import org.syncservice.server.workspace.WorkspaceStore;

/**
 * Checks a commit's chunks against the workspace's place in storage: about one back-end request per
 * chunk, which is why the check is off by default. Thread-safe.
 */
public final class StoredChunkVerifier implements ChunkVerifier {
    private final WorkspaceStore workspaces;
    private final ChunkStorage storage;

    public StoredChunkVerifier(WorkspaceStore workspaces, ChunkStorage storage) {
        this.workspaces = workspaces;
        this.storage = storage;
    }

    @Override
    public Set<String> missing(UUID userId, UUID workspaceId, Collection<String> chunks) {
        if (chunks.isEmpty()) {
            return Set.of();
        }
        return workspaces.findForMember(userId, workspaceId)
                .map(workspace -> storage.missingChunks(workspace.storage(), chunks))
                .orElseThrow(() -> ServiceException.notFound("workspace " + workspaceId + " not found"));
    }
}
