package org.syncservice.server.sync;

import java.util.List;
import java.util.Map;

/**
 * One page of a getChanges listing. Immutable.
 *
 * @param nextCursor where the next call continues (always set)
 * @param changeSeq the workspace sequence number the listing reaches once {@code hasMore} is false
 * @param locks the live file locks of the page's items, by item id, as the page was read
 */
public record ChangePage(List<ItemVersion> items, String nextCursor, boolean hasMore, long changeSeq,
                         Map<Long, ItemLock> locks) {

    public ChangePage {
        items = List.copyOf(items);
        locks = Map.copyOf(locks);
    }
}
