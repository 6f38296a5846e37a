package org.syncservice.client.conflicts;

import java.util.function.Predicate;

/**
 * The default {@link ConflictResolver}: the remote version keeps the original name and the local
 * edit is kept as {@code NAME (conflicted copy from THIS-DEVICE YYYY-MM-DD).ext}, so every device
 * ends up with both and the person who made the edit sees their device's name on the copy.
 * Stateless and thread-safe.
 */
public final class KeepBothResolver implements ConflictResolver {

    @Override
    public Resolution resolve(Conflict conflict, Predicate<String> nameTaken) {
        return Resolution.keepBoth(ConflictedCopyNames.copyName(conflict.name(), conflict.thisDeviceName(),
                conflict.date(), nameTaken));
    }
}
