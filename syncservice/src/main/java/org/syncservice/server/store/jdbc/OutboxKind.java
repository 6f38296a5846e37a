package org.syncservice.server.store.jdbc;

import java.util.Optional;
import org.syncservice.server.notify.OutboxEvent.WorkspaceChange;

/**
 * What an outbox row announces, stored by name in {@code outbox.kind} (whose check constraint
 * lists the same names). Workspace kinds name the workspace change their event carries.
 */
enum OutboxKind {
    COMMIT(null),
    WORKSPACE_CREATED(WorkspaceChange.CREATED),
    WORKSPACE_RENAMED(WorkspaceChange.RENAMED),
    WORKSPACE_SHARED(WorkspaceChange.SHARED),
    WORKSPACE_UNSHARED(WorkspaceChange.UNSHARED),
    MEMBERS_CHANGED(WorkspaceChange.MEMBERS_CHANGED),
    PERMISSIONS_CHANGED(WorkspaceChange.PERMISSIONS_CHANGED),
    DEVICE_REGISTERED(null),
    DEVICE_REVOKED(null),
    ITEM_LOCKED(null),
    ITEM_UNLOCKED(null);

    private final WorkspaceChange workspaceChange;

    OutboxKind(WorkspaceChange workspaceChange) {
        this.workspaceChange = workspaceChange;
    }

    /** The change a workspace kind announces; empty for the other kinds. */
    Optional<WorkspaceChange> workspaceChange() {
        return Optional.ofNullable(workspaceChange);
    }

    /** The kind a stored row names; empty for a name this version does not know. */
    static Optional<OutboxKind> stored(String name) {
        for (OutboxKind kind : values()) {
            if (kind.name().equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
