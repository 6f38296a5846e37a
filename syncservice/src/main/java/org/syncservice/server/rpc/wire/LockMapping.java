package org.syncservice.server.rpc.wire;

import org.syncservice.protocol.v1.ItemLock;
import org.syncservice.protocol.v1.LockEnd;

/** File locks as wire messages. Stateless and thread-safe. */
public final class LockMapping {

    private LockMapping() {
    }

    public static ItemLock lock(org.syncservice.server.sync.ItemLock lock) {
        return ItemLock.newBuilder()
                .setHolderUserId(lock.holderUserId().toString())
                .setHolderDeviceId(lock.holderDeviceId().toString())
                .setHolderName(lock.holderName())
                .setHolderDeviceName(lock.holderDeviceName())
                .setReason(lock.reason())
                .setLockedAtMs(lock.lockedAtMs())
                .setExpiresAtMs(lock.expiresAtMs())
                .build();
    }

    public static LockEnd end(org.syncservice.server.sync.LockEnd end) {
        return switch (end) {
            case UNLOCKED -> LockEnd.LOCK_END_UNLOCKED;
            case BROKEN -> LockEnd.LOCK_END_BROKEN;
            case RELEASED -> LockEnd.LOCK_END_RELEASED;
            case DELETED -> LockEnd.LOCK_END_DELETED;
        };
    }
}
