package org.syncservice.server.sync;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * Tells which chunks a commit names that are not in the workspace's storage, when the operator
 * asked for that check ({@code storage.verify-chunks}). Called before the commit's transaction,
 * so a slow storage never holds a workspace's lock. Implementations are thread-safe; an unreachable
 * storage is a {@link org.syncservice.server.core.ServiceException} of kind UNAVAILABLE.
 */
public interface ChunkVerifier {

    /** The check is off: every chunk is taken on trust. */
    ChunkVerifier OFF = (userId, workspaceId, chunks) -> Set.of();

    /**
     * @return the chunks among {@code chunks} that are not stored for the workspace
     * @throws org.syncservice.server.core.ServiceException NOT_FOUND when the user may not see the workspace
     */
    Set<String> missing(UUID userId, UUID workspaceId, Collection<String> chunks);
}
