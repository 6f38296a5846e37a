package org.syncservice.client;

import java.util.Objects;

/**
 * How far a device has applied one workspace: the opaque {@code get_changes} cursor to continue
 * from, and the highest change sequence number the application has seen (from a notification or
 * a {@code get_changes} answer). Persist both to resume without seeing a change twice. Immutable.
 *
 * @param cursor the last {@code next_cursor} received; empty for a full listing
 * @param changeSeq the highest change sequence number applied; 0 for none
 */
public record SyncPosition(String cursor, long changeSeq) {

    /** A workspace not synced yet: the next catch-up lists everything. */
    public static final SyncPosition START = new SyncPosition("", 0);

    public SyncPosition {
        Objects.requireNonNull(cursor, "cursor");
        if (changeSeq < 0) {
            throw new IllegalArgumentException("changeSeq must not be negative");
        }
    }
}
