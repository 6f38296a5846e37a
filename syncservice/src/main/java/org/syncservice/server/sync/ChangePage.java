package org.syncservice.server.sync;

import java.util.List;

/**
 * One page of a getChanges listing. Immutable.
 *
 * @param nextCursor where the next call continues (always set)
 * @param changeSeq the workspace sequence number the listing reaches once {@code hasMore} is false
 */
public record ChangePage(List<ItemVersion> items, String nextCursor, boolean hasMore, long changeSeq) {

    public ChangePage {
        items = List.copyOf(items);
    }
}
