package org.syncservice.server.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * The file locks one commit meets, inside its transaction, under the workspace's lock (so a lock
 * taken before the commit is seen, and none can be taken until it is done): which items another
 * device's live lock refuses, and which of the committing device's own locks end with the commit.
 * The workspace's live locks are read once, on the first item that needs them. One instance serves
 * one commit on one thread.
 */
final class CommitLocks {
    private final WorkspaceTransaction tx;
    private final UUID deviceId;
    private final long now;
    private final boolean release;
    private Map<Long, ItemLock> live;
    private final Map<Long, EndedLock> ended = new LinkedHashMap<>();

    /** @param release the commit asked to release the device's locks on the files it stores (release_locks) */
    CommitLocks(WorkspaceTransaction tx, UUID deviceId, long now, boolean release) {
        this.tx = tx;
        this.deviceId = deviceId;
        this.now = now;
        this.release = release;
    }

    /**
     * The lock of another device that refuses a new version of {@code current}: the file's own, or,
     * for a folder's deletion, one on a file of its subtree (a folder's rename or move leaves its
     * files as they are, and takes no lock's file away from its holder).
     *
     * @param inSubtree whether an item (first) lies under a folder (second), as the commit has it so far
     */
    Optional<ItemLock> refusing(ItemVersion current, ItemStatus status, BiPredicate<Long, Long> inSubtree) {
        Map<Long, ItemLock> locks = live();
        if (locks.isEmpty()) {
            return Optional.empty();
        }
        if (!current.folder()) {
            return Optional.ofNullable(locks.get(current.itemId())).filter(lock -> !lock.heldBy(deviceId));
        }
        if (status != ItemStatus.DELETED) {
            return Optional.empty();
        }
        return locks.values().stream().filter(lock -> !lock.heldBy(deviceId))
                .filter(lock -> inSubtree.test(lock.itemId(), current.itemId())).findFirst();
    }

    /**
     * After a version of {@code current} was stored (or found stored): a deletion ends the device's
     * locks on the file, or on the files of the deleted folder's subtree; with release_locks, any
     * other success ends the device's lock on the file.
     */
    void stored(ItemVersion current, ItemStatus status, BiPredicate<Long, Long> inSubtree) {
        Map<Long, ItemLock> locks = live();
        if (locks.isEmpty()) {
            return;
        }
        if (status == ItemStatus.DELETED) {
            for (ItemLock lock : locks.values()) {
                if (lock.heldBy(deviceId) && (lock.itemId() == current.itemId()
                        || current.folder() && inSubtree.test(lock.itemId(), current.itemId()))) {
                    ended.putIfAbsent(lock.itemId(), new EndedLock(lock, LockEnd.DELETED));
                }
            }
        } else if (release && !current.folder()) {
            ItemLock lock = locks.get(current.itemId());
            if (lock != null && lock.heldBy(deviceId)) {
                ended.putIfAbsent(lock.itemId(), new EndedLock(lock, LockEnd.RELEASED));
            }
        }
    }

    /** The locks this commit ends, in the order it ended them. */
    List<EndedLock> ended() {
        return new ArrayList<>(ended.values());
    }

    private Map<Long, ItemLock> live() {
        if (live == null) {
            live = tx.liveLocks(now);
        }
        return live;
    }
}
