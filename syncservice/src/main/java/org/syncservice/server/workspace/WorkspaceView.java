package org.syncservice.server.workspace;

import org.syncservice.server.core.MemberRole;
import org.syncservice.server.storage.StorageLocation;

import java.util.UUID;

/**
 * A workspace as one member sees it: the member's own name and mount point, and the workspace's
 * shared facts. Immutable.
 */
public record WorkspaceView(
        UUID workspaceId,
        String name,
        String mountPoint,
        UUID ownerId,
        String ownerName,
        MemberRole role,
        boolean isDefault,
        boolean shared,
        boolean encrypted,
        StorageLocation storage,
        long latestChangeSeq) {
}
