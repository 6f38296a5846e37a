package org.syncservice.server.storage;

import java.util.Optional;
import java.util.UUID;

/**
 * Where a workspace keeps its chunks, as recorded with the workspace (not recomputed from today's
 * configuration), told only to its members. What storage needs to know of workspaces, so that
 * storage depends on nothing of them: the workspace store provides it.
 */
@FunctionalInterface
public interface WorkspaceLocations {
    /**
     * The location of a workspace the user is a member of; empty when there is no such workspace
     * or the user is not a member (the two are not told apart).
     */
    Optional<StorageLocation> locationForMember(UUID userId, UUID workspaceId);
}
