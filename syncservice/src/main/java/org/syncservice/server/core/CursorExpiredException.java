package org.syncservice.server.core;

/**
 * CURSOR_EXPIRED, with why: a purged history and a rewound one (a restored backup) ask clients for
 * different reconciliations of their copy (protocol.md 7.9, "Expiry"). Immutable.
 */
public final class CursorExpiredException extends ServiceException {
    private static final long serialVersionUID = 1L;

    /** Why the cursor will not be continued. */
    public enum Reason {
        /** An altered cursor, another workspace's, one of an older format. */
        NOT_SAID,
        /** Older than the workspace's kept history: tombstones or versions it needs are purged. */
        HISTORY_PURGED,
        /**
         * Of a history this database does not have: an earlier epoch (the database was restored
         * from a backup) or ahead of the workspace. What the client saw may be lost on the service.
         */
        HISTORY_REWOUND
    }

    private final Reason reason;

    CursorExpiredException(String message, Reason reason) {
        super(Kind.CURSOR_EXPIRED, message, "cursor", null, null);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
