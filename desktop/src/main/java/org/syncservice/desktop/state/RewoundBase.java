package org.syncservice.desktop.state;

/**
 * What an item's agreed state (the synced tree, the merge base) is still worth once the service's
 * history went back: its database was restored from a backup, so what this device and the service
 * agreed on after the backup is known to this device alone. The service's full listing says what
 * it has now; each synced item is weighed against the listed item of the same id. Pure.
 *
 * <p>Item ids are never given twice (the service's {@code new-epoch} moves them past every id the
 * lost history could have handed out), so a listed item of the same id is the same item, at a
 * version of its history that the device may or may not have seen.
 */
public final class RewoundBase {
    /** What becomes of one synced item. */
    public enum Decision {
        /**
         * The service lists the item exactly as agreed (same version, place and content): the two
         * histories hold the same version, which stays the merge base.
         */
        KEEP,
        /**
         * The service lists an earlier version: the device's agreed state came after it, in the lost
         * history. The merge base becomes the listed version, and the device's file is read again,
         * so what it holds beyond that version (an edit, a rename, a move) is committed again.
         */
        REBASE,
        /**
         * The service does not list the item (created after the backup, so lost), or lists it at the
         * same version with another state, or at a later one: whether the device's state came from the
         * lost history cannot be told. The agreed state is forgotten with everything under it: the
         * device's files there are new to it, and are agreed with the service's by content, kept as
         * conflicted copies, or uploaded as new items; nothing is deleted because the service lacks it.
         */
        FORGET
    }

    private RewoundBase() {
    }

    /**
     * @param listed the service's item of the same id in the full listing after the rewind, or null
     *     when the listing did not report it live
     */
    public static Decision decide(SyncedItem synced, RemoteItem listed) {
        if (listed == null || listed.deleted() || listed.folder() != synced.folder()) {
            return Decision.FORGET;
        }
        if (listed.version() == synced.version()) {
            return sameState(synced, listed) ? Decision.KEEP : Decision.FORGET;
        }
        return listed.version() < synced.version() ? Decision.REBASE : Decision.FORGET;
    }

    private static boolean sameState(SyncedItem synced, RemoteItem listed) {
        return listed.parentId() == synced.parentId() && listed.name().equals(synced.name())
                && listed.checksum().equals(synced.checksum()) && listed.size() == synced.size();
    }
}
