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

    public WorkspaceService(WorkspaceStore store, int maxNameBytes) {
        this.store = store;
        this.maxNameBytes = maxNameBytes;
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
