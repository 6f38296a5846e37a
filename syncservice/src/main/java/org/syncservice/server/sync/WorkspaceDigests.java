package org.syncservice.server.sync;

import java.util.UUID;
import org.syncservice.server.core.Principal;

/** Serves workspace digests to members, NOT_FOUND to everyone else. Thread-safe. */
public final class WorkspaceDigests {
    private final WorkspaceDigestStore store;

    public WorkspaceDigests(WorkspaceDigestStore store) {
        this.store = store;
    }

    public WorkspaceDigest digest(Principal caller, UUID workspaceId) {
        return store.digest(workspaceId, caller.userId()).orElseThrow(() -> Workspaces.notFound(workspaceId));
    }
}
