package org.syncservice.server.sync;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.syncservice.server.sync.SyncStore.ListingPosition;

/**
 * Where a getChanges listing stands; opaque to clients. A listing returns the latest state of
 * every item whose last change is above {@code sinceSeq} (every live item when it is 0), in
 * (depth, item id) order so parents come before children, page after page from {@code position}.
 * {@code snapshotSeq} is the workspace's sequence number when the listing began: once the last
 * page is out, the next listing starts above it, so a change made while the pages were read is
 * listed again next time rather than missed. Immutable.
 */
record ChangeCursor(long sinceSeq, long snapshotSeq, ListingPosition position) {
    private static final String VERSION = "c1";
    private static final Pattern FORMAT =
            Pattern.compile("c1_(\\d{1,18})_(\\d{1,18})_(-1|\\d{1,9})_(\\d{1,18})");

    static ChangeCursor fullListing(long snapshotSeq) {
        return new ChangeCursor(0, snapshotSeq, ListingPosition.START);
    }

    /** The cursor after a finished listing: everything up to its snapshot is known. */
    static ChangeCursor after(long snapshotSeq) {
        return new ChangeCursor(snapshotSeq, snapshotSeq, ListingPosition.START);
    }

    /** The same starting point, for a listing that begins when the workspace is at {@code latestSeq}. */
    ChangeCursor startingAt(long latestSeq) {
        return new ChangeCursor(sinceSeq, latestSeq, ListingPosition.START);
    }

    ChangeCursor at(ListingPosition next) {
        return new ChangeCursor(sinceSeq, snapshotSeq, next);
    }

    String encode() {
        return VERSION + "_" + sinceSeq + "_" + snapshotSeq + "_" + position.depth() + "_" + position.itemId();
    }

    static Optional<ChangeCursor> decode(String text) {
        Matcher matcher = FORMAT.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long since = Long.parseLong(matcher.group(1));
        long snapshot = Long.parseLong(matcher.group(2));
        if (since > snapshot) {
            return Optional.empty();
        }
        return Optional.of(new ChangeCursor(since, snapshot,
                new ListingPosition(Integer.parseInt(matcher.group(3)), Long.parseLong(matcher.group(4)))));
    }
}
