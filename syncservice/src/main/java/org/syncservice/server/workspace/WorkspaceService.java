package org.syncservice.server.workspace;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.core.NameRules;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.StorageLayout;
import org.syncservice.server.storage.StorageLocation;

/**
 * Listing workspaces and changing a member's own view of one. A workspace the caller is not a
 * member of is NOT_FOUND, whether or not it exists. Thread-safe.
 */
public final class WorkspaceService {
    static final String NOT_FOUND = "no such workspace";

    private final WorkspaceStore store;
    private final int maxNameBytes;
    private final StorageLayout storageLayout;
    private final ChunkStorage storage;

    public WorkspaceService(WorkspaceStore store, int maxNameBytes, StorageLayout storageLayout,
                            ChunkStorage storage) {
        this.store = store;
        this.maxNameBytes = maxNameBytes;
        this.storageLayout = storageLayout;
        this.storage = storage;
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
        StorageLocation location = storageLayout.locationFor(workspaceId);
        NewWorkspace workspace = new NewWorkspace(workspaceId, ownerId, false, name, name, location);
        // As for a new user: storage first, so no workspace exists without its place; a place whose
        // rows could not be written is removed again.
        storage.provision(location);
        try {
            Optional<WorkspaceView> created = store.create(workspace);
            if (created.isEmpty()) {
                storage.remove(location);
                throw ServiceException.conflict("the user already has a workspace named " + name);
            }
            return created.get();
        } catch (RuntimeException e) {
            if (!(e instanceof ServiceException se && se.kind() == ServiceException.Kind.CONFLICT)) {
                storage.remove(location);
            }
            throw e;
        }
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
