package org.syncservice.server.store.jdbc;

import java.util.UUID;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.core.MemberRole;

/**
 * A user's membership of a workspace, with the workspace's facts, as sharing reads it. Immutable.
 *
 * @param shared whether the workspace is a shared one (not a user's own)
 * @param latestChangeSeq the workspace's sequence number when read
 */
record Membership(UUID workspaceId, UUID ownerId, MemberRole role, String name, String mountPoint, boolean shared,
                  long latestChangeSeq, StorageLocation location) {
}
