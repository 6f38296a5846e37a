package org.syncservice.server.workspace;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.storage.WorkspaceLocations;

/**
 * Storage of workspaces and their members. Every method is scoped to a member: a workspace the
 * user is not a member of is not found. Implementations are thread-safe; each call is one
 * transaction; failures to reach storage are {@link org.syncservice.server.core.ServiceException}s
 * of kind UNAVAILABLE.
 */
public interface WorkspaceStore extends WorkspaceLocations {

    /** The user's workspaces, the default one first. */
    List<WorkspaceView> listForMember(UUID userId);

    Optional<WorkspaceView> findForMember(UUID userId, UUID workspaceId);

    /**
     * Changes the member's own name and/or mount point (empty = unchanged) and queues a RENAMED
     * notification for the user in the same transaction.
     *
     * @return the workspace afterwards; empty when the user is not a member
     */
    Optional<WorkspaceView> updateMember(UUID userId, UUID workspaceId, Optional<String> name,
                                         Optional<String> mountPoint);

    /**
     * Creates a workspace with its owner as OWNER member, unless the owner already is a member of
     * a workspace under the same name.
     *
     * @return the new workspace as its owner sees it; empty when the name is taken
     * @throws org.syncservice.server.core.ServiceException NOT_FOUND when the owner does not exist
     */
    Optional<WorkspaceView> create(NewWorkspace workspace);

    @Override
    default Optional<StorageLocation> locationForMember(UUID userId, UUID workspaceId) {
        return findForMember(userId, workspaceId).map(WorkspaceView::storage);
    }

    @Override
    default Optional<MemberStorage> storageForMember(UUID userId, UUID workspaceId) {
        return findForMember(userId, workspaceId).map(view -> new MemberStorage(view.storage(), view.role()));
    }
}
