package org.syncservice.server.workspace;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.core.NameRules;
import org.syncservice.server.core.ServiceException;

/**
 * Listing workspaces and changing a member's own view of one. A workspace the caller is not a
 * member of is NOT_FOUND, whether or not it exists. Thread-safe.
 */
public final class WorkspaceService {
    static final String NOT_FOUND = "no such workspace";

    private final WorkspaceStore store;
    private final int maxNameBytes;
    private final StorageLayout storageLayout;

    public WorkspaceService(WorkspaceStore store, int maxNameBytes, StorageLayout storageLayout) {
        this.store = store;
        this.maxNameBytes = maxNameBytes;
        this.storageLayout = storageLayout;
    }

    /**
     * Creates an extra (not default) workspace owned by the user, mounted under its name. For
     * admin commands.
     *
     * @throws ServiceException CONFLICT when the user already has a workspace of that name,
     *     NOT_FOUND when the user does not exist, INVALID_ARGUMENT for a bad name
     */
    public WorkspaceView createWorkspace(UUID ownerId, String name) {
        NameRules.requireName("name", name, maxNameBytes);
        UUID workspaceId = UUID.randomUUID();
        NewWorkspace workspace = new NewWorkspace(workspaceId, ownerId, false, name, name,
                storageLayout.locationFor(workspaceId));
        return store.create(workspace)
                .orElseThrow(() -> ServiceException.conflict("the user already has a workspace named " + name));
    }

    public List<WorkspaceView> list(UUID userId) {
        return store.listForMember(userId);
    }

    /** Unset values keep theirs; with neither set this is a lookup. */
    public WorkspaceView updateOwnView(UUID userId, UUID workspaceId, Optional<String> name,
                                       Optional<String> mountPoint) {
        name.ifPresent(n -> NameRules.requireName("update_workspace.name", n, maxNameBytes));
        mountPoint.ifPresent(m -> NameRules.requireMountPoint("update_workspace.mount_point", m, maxNameBytes));
        if (name.isEmpty() && mountPoint.isEmpty()) {
            return store.findForMember(userId, workspaceId).orElseThrow(() -> ServiceException.notFound(NOT_FOUND));
        }
        return store.updateMember(userId, workspaceId, name, mountPoint)
                .orElseThrow(() -> ServiceException.notFound(NOT_FOUND));
    }
}
