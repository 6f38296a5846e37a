package org.syncservice.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.syncservice.protocol.v1.Item;

/**
 * Items a catch-up handed over from commits above the number it reached. A listing reads its
 * number first and its items after, so it can carry (part of) a commit that lands meanwhile; that
 * commit's notification, or the next listing, brings the same versions again, and the application
 * was promised each change once. Kept per workspace until the workspace's number covers them.
 * Not thread-safe: used on the listener's dispatch thread only.
 */
final class HandedAhead {
    private final Map<String, Map<Long, Item>> ahead = new HashMap<>();

    /** Remembers the items of {@code handedOver} whose change is above {@code reached}. */
    void remember(String workspaceId, List<Item> handedOver, long reached) {
        for (Item item : handedOver) {
            if (item.getChangeSeq() > reached) {
                ahead.computeIfAbsent(workspaceId, ws -> new HashMap<>()).merge(item.getItemId(), item,
                        (old, fresh) -> fresh.getVersion() > old.getVersion() ? fresh : old);
            }
        }
    }

    /** {@code items} without the versions already handed over ahead. */
    List<Item> notHandedOver(String workspaceId, List<Item> items) {
        Map<Long, Item> handed = ahead.get(workspaceId);
        if (handed == null) {
            return items;
        }
        List<Item> fresh = new ArrayList<>(items.size());
        for (Item item : items) {
            Item before = handed.get(item.getItemId());
            if (before == null || item.getVersion() > before.getVersion()) {
                fresh.add(item);
            }
        }
        return fresh;
    }

    /** Forgets what the workspace's number {@code seen} now covers. */
    void covered(String workspaceId, long seen) {
        Map<Long, Item> handed = ahead.get(workspaceId);
        if (handed != null) {
            handed.values().removeIf(item -> item.getChangeSeq() <= seen);
            if (handed.isEmpty()) {
                ahead.remove(workspaceId);
            }
        }
    }

    void forget(String workspaceId) {
        ahead.remove(workspaceId);
    }
}
