package org.syncservice.server.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.sync.LockStore.LockTransaction;

/**
 * lock_item and unlock_item: a file is locked by one device at a time, until the lock expires,
 * its holder unlocks it (or releases or deletes it with a commit), or the workspace's owner breaks
 * it. Each runs in a transaction holding the workspace's lock, the one commits hold, so of two
 * devices locking one file exactly one wins and a commit racing a lock lands before it or is
 * refused. Every member but a READER may lock and unlock, the role read holding the workspace's
 * lock, as commits read it. Thread-safe.
 */
public final class LockService {
    /** The longest reason kept with a lock, in characters. */
    public static final int MAX_REASON_LENGTH = 256;

    private final LockStore store;
    private final Duration defaultDuration;
    private final Duration maxDuration;
    private final Clock clock;

    public LockService(LockStore store, Duration defaultDuration, Duration maxDuration, Clock clock) {
        this.store = store;
        this.defaultDuration = defaultDuration;
        this.maxDuration = maxDuration;
        this.clock = clock;
    }

    /**
     * Locks the file for the caller's device, or renews the caller's own lock (the expiry starts
     * again from now; the reason is replaced). A live lock of another device is CONFLICT naming its
     * holder; an expired one is replaced.
     *
     * @param durationMs 0 for the default; above the maximum it is cut to the maximum
     */
    public ItemLock lock(Principal caller, UUID workspaceId, long itemId, long durationMs, String reason) {
        if (durationMs < 0) {
            throw ServiceException.invalidArgument("lock_item.duration_ms", "duration_ms must not be negative");
        }
        String kept = reason == null ? "" : reason;
        if (kept.codePointCount(0, kept.length()) > MAX_REASON_LENGTH || !ChangeLimits.isPlainText(kept)) {
            throw ServiceException.invalidArgument("lock_item.reason", "a lock's reason is at most "
                    + MAX_REASON_LENGTH + " characters without control characters");
        }
        long duration = durationMs == 0 ? defaultDuration.toMillis() : Math.min(durationMs, maxDuration.toMillis());
        return store.inLockedWorkspace(workspaceId, caller.userId(), tx -> {
            tx.role().requireWrites("readers may not lock files");
            file(tx, itemId, "lock_item.item_id");
            long now = clock.millis();
            var existing = tx.lock(itemId).filter(lock -> lock.liveAt(now));
            if (existing.isPresent() && !existing.get().heldBy(caller.deviceId())) {
                throw ServiceException.conflict("item " + itemId + " is locked by " + existing.get().holder()
                        + " until " + Instant.ofEpochMilli(existing.get().expiresAtMs()));
            }
            long lockedAt = existing.map(ItemLock::lockedAtMs).orElse(now);
            return tx.put(new ItemLock(itemId, workspaceId, caller.userId(), caller.deviceId(), "", "", kept,
                    lockedAt, now + duration));
        }).orElseThrow(() -> Workspaces.notFound(workspaceId));
    }

    /**
     * Ends the file's lock: the holder's device may, and so may the workspace's owner, whose
     * ending of another device's lock breaks it (the holder's devices are told by the UNLOCKED
     * event). Anyone else is PERMISSION_DENIED. A file without a live lock is left as it is.
     */
    public Unlocked unlock(Principal caller, UUID workspaceId, long itemId) {
        return store.inLockedWorkspace(workspaceId, caller.userId(), tx -> {
            tx.role().requireWrites("readers may not unlock files");
            if (tx.item(itemId).isEmpty()) {
                throw ServiceException.notFound("no item " + itemId + " in workspace " + workspaceId);
            }
            long now = clock.millis();
            var existing = tx.lock(itemId).filter(lock -> lock.liveAt(now));
            if (existing.isEmpty()) {
                return new Unlocked(false, false);
            }
            ItemLock lock = existing.get();
            boolean own = lock.heldBy(caller.deviceId());
            if (!own && !tx.ownerId().equals(caller.userId())) {
                throw ServiceException.permissionDenied("item " + itemId + " is locked by " + lock.holder()
                        + "; only its holder or the workspace's owner may unlock it");
            }
            tx.end(new EndedLock(lock, own ? LockEnd.UNLOCKED : LockEnd.BROKEN));
            return new Unlocked(true, !own);
        }).orElseThrow(() -> Workspaces.notFound(workspaceId));
    }

    /** What unlock did: whether a live lock ended, and whether the owner broke another device's. */
    public record Unlocked(boolean wasLocked, boolean broken) {
    }

    /** Only a live file takes a lock: the issue locks files, and a tombstone has nothing to protect. */
    private static void file(LockTransaction tx, long itemId, String field) {
        ItemVersion item = tx.item(itemId).orElseThrow(() ->
                ServiceException.notFound("no item " + itemId + " in this workspace"));
        if (item.folder()) {
            throw ServiceException.invalidArgument(field, "item " + itemId + " is a folder; only files can be locked");
        }
        if (item.deleted()) {
            throw ServiceException.invalidArgument(field, "item " + itemId + " is deleted");
        }
    }
}
