package org.syncservice.server.sync;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One page of a getChanges listing. Immutable.
 *
 * @param nextCursor where the next call continues (always set)
 * @param changeSeq the workspace sequence number the listing reaches once {@code hasMore} is false
 * @param locks the live file locks of the page's items, by item id, as the page was read
 * @param outOfScope the ids of the page's items that are outside the listing's subtrees (a
 *     device that has them drops them)
 */
public record ChangePage(List<ItemVersion> items, String nextCursor, boolean hasMore, long changeSeq,
                         Map<Long, ItemLock> locks, Set<Long> outOfScope) {

    public ChangePage {
        items = List.copyOf(items);
        locks = Map.copyOf(locks);
        outOfScope = Set.copyOf(outOfScope);
    }
}
