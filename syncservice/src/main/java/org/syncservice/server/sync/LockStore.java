package org.syncservice.server.sync;

import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.core.MemberRole;
import java.util.function.Function;

/**
 * Where file locks are kept. Taking or ending a lock holds the workspace's lock, the one every
 * commit of the workspace holds ({@link SyncStore#inWorkspaces}), so a lock and a commit of the same
 * file are ordered by the database: the commit lands before the lock, or it sees the lock.
 * Implementations are thread-safe; a transient database failure is a
 * {@link org.syncservice.server.core.ServiceException} of kind UNAVAILABLE.
 */
public interface LockStore {

    /**
     * Runs {@code work} in one transaction holding the workspace's lock.
     *
     * @return empty when the user is not a member of the workspace (or it does not exist)
     */
    <T> Optional<T> inLockedWorkspace(UUID workspaceId, UUID userId, Function<LockTransaction, T> work);

    /** One workspace's locks inside the transaction that holds the workspace. Used by one thread. */
    interface LockTransaction {

        UUID ownerId();

        /** The user's role, read holding the workspace's lock (a role change waits for it). */
        MemberRole role();

        /** The item's latest state (tombstones included), when it is in this workspace. */
        Optional<ItemVersion> item(long itemId);

        /** The item's lock row, expired or not, with the holder's names. */
        Optional<ItemLock> lock(long itemId);

        /** Writes (or replaces) the item's lock and queues its LOCKED event; returns it with the holder's names. */
        ItemLock put(ItemLock lock);

        /** Removes the item's lock and queues its UNLOCKED event. */
        void end(EndedLock ended);
    }
}
