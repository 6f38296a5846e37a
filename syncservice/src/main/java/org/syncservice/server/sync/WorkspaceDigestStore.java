package org.syncservice.server.sync;

import java.util.Optional;
import java.util.UUID;

/**
 * Reads a workspace's {@link WorkspaceDigest}. A workspace the user may not see is reported like
 * one that does not exist (empty). Implementations are thread-safe; a transient failure of the
 * underlying database is a {@link org.syncservice.server.core.ServiceException} of kind UNAVAILABLE.
 */
public interface WorkspaceDigestStore {

    /**
     * The digest of the workspace's live items and the change sequence number it is taken at,
     * both read in one snapshot, so that a commit landing meanwhile is either wholly in it (and in
     * the number) or not at all.
     */
    Optional<WorkspaceDigest> digest(UUID workspaceId, UUID userId);
}
