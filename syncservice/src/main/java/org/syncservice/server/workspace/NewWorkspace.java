package org.syncservice.server.workspace;

import org.syncservice.server.storage.StorageLocation;

import java.util.UUID;

/** A workspace to create, with its owner as the first member. Immutable. */
public record NewWorkspace(
        UUID workspaceId,
        UUID ownerId,
        boolean isDefault,
        String ownerMemberName,
        String ownerMountPoint,
        StorageLocation storage) {
}
