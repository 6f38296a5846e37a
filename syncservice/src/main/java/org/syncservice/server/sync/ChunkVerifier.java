package org.syncservice.server.sync;

import java.util.Collection;
import java.util.UUID;

/**
 * Tells which chunks a commit names are in the workspace's storage, and their stored sizes, when
 * the operator asked for that check ({@code storage.verify-chunks}): a file version is then
 * accepted only when all its chunks are stored and their sizes add up to the size it declares,
 * which is what quota charges. Called before the commit's transaction, so a slow storage never
 * holds a workspace's lock. Implementations are thread-safe; an unreachable storage is a
 * {@link org.syncservice.server.core.ServiceException} of kind UNAVAILABLE.
 */
public interface ChunkVerifier {

    /** The check is off: every chunk and every declared size is taken on trust. */
    ChunkVerifier OFF = (userId, workspaceId, chunks) -> StoredChunkSizes.UNCHECKED;

    /**
     * @return the stored chunks among {@code chunks}, with their sizes
     * @throws org.syncservice.server.core.ServiceException NOT_FOUND when the user may not see the workspace
     */
    StoredChunkSizes stored(UUID userId, UUID workspaceId, Collection<String> chunks);
}
