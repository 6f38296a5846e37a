package org.syncservice.client.conflicts;

import java.util.function.Predicate;

/**
 * A {@link ConflictResolver} that gives the original name to the side with the newer modification
 * time, and keeps the other side as a conflicted copy named after the device that made it, so
 * nothing is lost (Syncthing's rule). Equal times keep both, as {@link KeepBothResolver} does:
 * with no newer side there is no winner to pick. Stateless and thread-safe.
 *
 * <p>Modification times come from the devices' clocks, which may be wrong; the copy is what makes
 * a wrong clock harmless.
 */
public final class NewestWinsResolver implements ConflictResolver {

    @Override
    public Resolution resolve(Conflict conflict, Predicate<String> nameTaken) {
        long local = conflict.local().modifiedAtMs();
        long remote = conflict.remote().item().getModifiedAtMs();
        if (local > remote) {
            return Resolution.localWinsKeepingRemoteCopy(ConflictedCopyNames.copyName(conflict.name(),
                    conflict.remote().deviceLabel(), conflict.date(), nameTaken));
        }
        // Remote newer, or a tie: the local edit becomes the copy.
        return Resolution.keepBoth(ConflictedCopyNames.copyName(conflict.name(), conflict.thisDeviceName(),
                conflict.date(), nameTaken));
    }
}
