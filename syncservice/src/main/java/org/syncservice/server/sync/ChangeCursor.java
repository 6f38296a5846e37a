package org.syncservice.server.sync;

import org.syncservice.server.sync.SyncStore.ListingPosition;

/**
 * Where a getChanges listing stands; opaque to clients (its text form is {@link CursorCodec}'s).
 * A listing returns the state as of {@code snapshotSeq} (the workspace's sequence number when the
 * listing began) of every item changed above {@code sinceSeq} (every live item when it is
 * {@link #FULL}: a listing from an empty cursor; a finished listing of an empty workspace leaves
 * {@code sinceSeq} 0, which is no full listing: the device may have items from notifications, so
 * their tombstones must come), in
 * (depth, item id) order so parents come before children, page after page from {@code position}.
 * Once the last page is out, the next listing starts above the snapshot, so a change made while
 * the pages were read is listed next time rather than missed. {@code epoch} is the database
 * history's epoch the cursor was handed out in; {@code scope} the {@link ListingScope#fingerprint}
 * of the subtrees it lists (empty: the whole workspace). Immutable.
 */
record ChangeCursor(long sinceSeq, long snapshotSeq, ListingPosition position, long epoch, String scope) {
    /** The {@code sinceSeq} of a full listing. */
    static final long FULL = SyncStore.FULL_LISTING;

    static ChangeCursor fullListing(long snapshotSeq, long epoch, String scope) {
        return new ChangeCursor(FULL, snapshotSeq, ListingPosition.START, epoch, scope);
    }

    /** The cursor after a finished listing: everything up to its snapshot is known. */
    ChangeCursor finished() {
        return new ChangeCursor(snapshotSeq, snapshotSeq, ListingPosition.START, epoch, scope);
    }

    /** The same starting point, for a listing that begins when the workspace is at {@code latestSeq}. */
    ChangeCursor startingAt(long latestSeq) {
        return new ChangeCursor(sinceSeq, latestSeq, ListingPosition.START, epoch, scope);
    }

    ChangeCursor at(ListingPosition next) {
        return new ChangeCursor(sinceSeq, snapshotSeq, next, epoch, scope);
    }

    boolean begins() {
        return position.equals(ListingPosition.START);
    }
}
