package org.syncservice.server.storage;

import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.core.MemberRole;

/**
 * Where a workspace keeps its chunks, as recorded with the workspace (not recomputed from today's
 * configuration), told only to its members. What storage needs to know of workspaces, so that
 * storage depends on nothing of them: the workspace store provides it.
 */
public interface WorkspaceLocations {
    /**
     * The location of a workspace the user is a member of; empty when there is no such workspace
     * or the user is not a member (the two are not told apart).
     */
    Optional<StorageLocation> locationForMember(UUID userId, UUID workspaceId);

    /** A member's reach into a workspace's storage: where its chunks live, and the member's role. */
    record MemberStorage(StorageLocation location, MemberRole role) {
    }

    /** As {@link #locationForMember}, with the member's role (a READER writes nothing). */
    Optional<MemberStorage> storageForMember(UUID userId, UUID workspaceId);
}
