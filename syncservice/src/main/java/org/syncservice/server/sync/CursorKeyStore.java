package org.syncservice.server.sync;

/**
 * Where the secret that authenticates getChanges cursors is kept, with the epoch of the database's
 * history. Implementations are thread-safe; a database that cannot be reached is a
 * {@link org.syncservice.server.core.ServiceException} of kind UNAVAILABLE.
 */
public interface CursorKeyStore {

    /** The secret cursors are signed with: made with the database, never changed (at least 32 bytes). */
    byte[] cursorSecret();

    /**
     * Draws a new epoch, different from the current one: every cursor handed out before it now
     * expires, and its device lists again from an empty cursor. In the same transaction, item ids
     * move far past any the database handed out: after a restored backup, the ids the lost history
     * gave items are still in devices' copies, and must never name another item.
     *
     * @return the new epoch
     */
    long newEpoch();
}
