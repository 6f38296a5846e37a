package org.syncservice.server.sync;

import java.util.Objects;
import java.util.UUID;

/**
 * A lock on a file: while it lasts ({@link #liveAt}), a commit of the file by any device but the
 * holder's is rejected as LOCKED. Immutable.
 *
 * @param holderName the holder's display name and device name, for people (empty when unknown)
 * @param lockedAtMs when the holder first took it; renewals keep it
 * @param expiresAtMs when it stops counting unless renewed
 */
public record ItemLock(long itemId, UUID workspaceId, UUID holderUserId, UUID holderDeviceId, String holderName,
                       String holderDeviceName, String reason, long lockedAtMs, long expiresAtMs) {

    public ItemLock {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(holderUserId, "holderUserId");
        Objects.requireNonNull(holderDeviceId, "holderDeviceId");
        holderName = holderName == null ? "" : holderName;
        holderDeviceName = holderDeviceName == null ? "" : holderDeviceName;
        reason = reason == null ? "" : reason;
    }

    /** Whether it still counts at {@code nowMs}: an expired lock is no lock. */
    public boolean liveAt(long nowMs) {
        return nowMs < expiresAtMs;
    }

    public boolean heldBy(UUID deviceId) {
        return holderDeviceId.equals(deviceId);
    }

    /** Who holds it, for messages people read: "Ann on laptop". */
    public String holder() {
        String who = holderName.isEmpty() ? "user " + holderUserId : holderName;
        String device = holderDeviceName.isEmpty() ? "device " + holderDeviceId : holderDeviceName;
        return who + " on " + device;
    }
}
