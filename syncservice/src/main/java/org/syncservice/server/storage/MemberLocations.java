package org.syncservice.server.storage;

import java.util.UUID;
import org.syncservice.server.core.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a workspace keeps its chunks, for one of its members only: any other caller learns
 * NOT_FOUND, as if the workspace did not exist. The location is the one recorded with the
 * workspace, not one recomputed from today's configuration. Thread-safe.
 */
final class MemberLocations {
    private static final Logger log = LoggerFactory.getLogger(MemberLocations.class);
    static final String NOT_FOUND = "no such workspace";

    private final WorkspaceLocations workspaces;
    private final ChunkStorage storage;

    MemberLocations(WorkspaceLocations workspaces, ChunkStorage storage) {
        this.workspaces = workspaces;
        this.storage = storage;
    }

    /**
     * @throws ServiceException NOT_FOUND when the user is not a member, UNAVAILABLE when the
     *         database cannot be reached
     * @throws IllegalStateException when the workspace lives on another back-end than the service's
     */
    StorageLocation of(UUID userId, UUID workspaceId) {
        return onServedBackend(workspaceId, workspaces.locationForMember(userId, workspaceId)
                .orElseThrow(() -> ServiceException.notFound(NOT_FOUND)));
    }

    /**
     * As {@link #of(UUID, UUID)}, for an access: WRITE only for a member whose role writes.
     *
     * @throws ServiceException PERMISSION_DENIED naming the role when a READER asks to write
     */
    StorageLocation of(UUID userId, UUID workspaceId, StorageAccess access) {
        WorkspaceLocations.MemberStorage member = workspaces.storageForMember(userId, workspaceId)
                .orElseThrow(() -> ServiceException.notFound(NOT_FOUND));
        if (access == StorageAccess.WRITE) {
            member.role().requireWrites("readers get no URLs to write chunks");
        }
        return onServedBackend(workspaceId, member.location());
    }

    private StorageLocation onServedBackend(UUID workspaceId, StorageLocation location) {
        if (location.backend() != storage.backend()) {
            // The workspace was provisioned under another storage.backend: an operator's migration
            // is needed, nothing the client can fix.
            log.error("workspace {} lives on {} but the service is configured for {}", workspaceId,
                    location.backend(), storage.backend());
            throw new IllegalStateException("workspace " + workspaceId + " is on another storage back-end");
        }
        return location;
    }
}
