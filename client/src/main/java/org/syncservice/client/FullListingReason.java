package org.syncservice.client;

/** Why a {@link NotificationListener} lists a workspace again from scratch. */
public enum FullListingReason {
    /** The stored cursor is older than the history the service keeps ({@code CURSOR_EXPIRED}). */
    CURSOR_EXPIRED,
    /** The application's copy did not match the service's {@code get_workspace_digest}. */
    DIGEST_MISMATCH
}
