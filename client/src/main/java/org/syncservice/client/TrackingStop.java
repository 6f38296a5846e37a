package org.syncservice.client;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a {@link NotificationListener} stopped tracking a workspace. It makes no more calls for it
 * until the application calls {@link NotificationListener#track} again. Immutable.
 *
 * @param reason what happened
 * @param error the error the service answered, when one did (none for {@link Reason#UNSHARED})
 */
public record TrackingStop(Reason reason, Optional<SyncServiceException> error) {

    public TrackingStop {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(error, "error");
    }

    /** What made the listener stop. */
    public enum Reason {
        /** The workspace is gone or no longer visible to this user ({@code NOT_FOUND}). */
        NOT_FOUND,
        /** A {@code WorkspaceEvent} UNSHARED: this user was removed, left, or the workspace was dissolved. */
        UNSHARED,
        /**
         * Another error that retrying unchanged cannot cure (for example {@code PERMISSION_DENIED},
         * {@code INVALID_ARGUMENT}, or {@code INTERNAL} after a few attempts); see {@link #error()}.
         */
        FAILED
    }
}
