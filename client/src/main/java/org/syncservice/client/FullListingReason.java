package org.syncservice.client;

/** Why a {@link NotificationListener} lists a workspace again from scratch. */
public enum FullListingReason {
    /** The stored cursor is older than the history the service keeps ({@code CURSOR_EXPIRED}). */
    CURSOR_EXPIRED,
    /**
     * The service's history went back ({@code CURSOR_EXPIRED} with {@code CURSOR_EXPIRY_HISTORY_REWOUND}):
     * its database was restored from a backup. The changes the application saw after the backup,
     * its own among them, are unknown to the service now: an item the listing does not report is
     * one the service lost, not one deleted. The listing hands over the service's items as they
     * are now, also at versions below the ones handed over before; the change numbers start again
     * from the restored one.
     */
    HISTORY_REWOUND,
    /** The application's copy did not match the service's {@code get_workspace_digest}. */
    DIGEST_MISMATCH
}
