package org.syncservice.client;

import java.time.Duration;
import java.util.Optional;
import org.syncservice.protocol.v1.CursorExpiry;
import org.syncservice.protocol.v1.Error;
import org.syncservice.protocol.v1.ErrorCode;

/**
 * A call that did not succeed, with the protocol's {@link ErrorCode}.
 *
 * <p>Raised for three reasons, all told apart by {@link #code()} and {@link #isLocal()}:
 * <ul>
 *   <li>the service answered with an {@code Error}: its code, message, retry-after and field are
 *       carried unchanged, and {@link #isLocal()} is false;</li>
 *   <li>no reply arrived within the call's timeout: {@link ErrorCode#ERROR_CODE_DEADLINE_EXCEEDED},
 *       {@link #isLocal()} true. Unlike the service's own DEADLINE_EXCEEDED, the outcome is then
 *       unknown (the service may have done the work); retry with the same request id, which the
 *       service answers from its stored reply instead of doing the work twice;</li>
 *   <li>the broker could not be reached, the connection dropped while the call was in flight, the
 *       request queue does not exist (the service is not deployed) or the client was closed:
 *       {@link ErrorCode#ERROR_CODE_UNAVAILABLE}, {@link #isLocal()} true. Retrying with the same
 *       request id is safe for the same reason.</li>
 * </ul>
 * The service's UNAVAILABLE stored nothing, unless {@link #isOutcomeUnknown()}: its database
 * connection broke while the request was committing and it could not find out whether it
 * committed (when it can, it answers as the retry would, with the stored answer).
 * A reply of the wrong kind, or one that cannot be decoded, is {@link ErrorCode#ERROR_CODE_INTERNAL}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SyncServiceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final long retryAfterMs;
    private final String field;
    private final boolean local;
    private final boolean outcomeUnknown;
    private final CursorExpiry cursorExpiry;

    private SyncServiceException(ErrorCode code, String message, long retryAfterMs, String field,
            boolean local, boolean outcomeUnknown, CursorExpiry cursorExpiry, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryAfterMs = retryAfterMs;
        this.field = field == null ? "" : field;
        this.local = local;
        this.outcomeUnknown = outcomeUnknown;
        this.cursorExpiry = cursorExpiry;
    }

    /**
     * Creates the exception for an {@code Error} the service answered.
     *
     * @param error the error from {@code Response.error}
     * @return an exception carrying the error's code, message, retry-after and field
     */
    public static SyncServiceException fromError(Error error) {
        return new SyncServiceException(error.getCode(), error.getMessage(), error.getRetryAfterMs(),
                error.getField(), false, error.getOutcomeUnknown(), error.getCursorExpiry(), null);
    }

    /**
     * Creates an exception raised by the client itself (timeout, connection failure, bad reply).
     *
     * @param code the code that describes the failure
     * @param message what happened, for people
     * @param cause the underlying failure, or null
     * @return a local exception without retry-after or field
     */
    public static SyncServiceException local(ErrorCode code, String message, Throwable cause) {
        return new SyncServiceException(code, message, 0, "", true, false, CursorExpiry.CURSOR_EXPIRY_UNSPECIFIED,
                cause);
    }

    /** The error code; the service's, or the client's for a local failure. */
    public ErrorCode code() {
        return code;
    }

    /** When the service asked for it, the earliest time to retry, from when the reply arrived. */
    public Optional<Duration> retryAfter() {
        return retryAfterMs > 0 ? Optional.of(Duration.ofMillis(retryAfterMs)) : Optional.empty();
    }

    /** The request field the error is about, as a path such as {@code commit.items[3].name}. */
    public Optional<String> field() {
        return field.isEmpty() ? Optional.empty() : Optional.of(field);
    }

    /**
     * With {@link ErrorCode#ERROR_CODE_CURSOR_EXPIRED}: why the cursor expired, when the service says
     * ({@code GetServerInfoResponse.cursor_expiry_reasons}). {@code HISTORY_REWOUND} means the
     * service's database was restored from a backup: the application's copy is no merge base.
     */
    public CursorExpiry cursorExpiry() {
        return cursorExpiry;
    }

    /** True when the client raised this (timeout, connection failure), false when the service did. */
    public boolean isLocal() {
        return local;
    }

    /**
     * Whether the request may have been applied although it failed, so that only a retry with the
     * same request id (within the service's idempotency window) is safe: true for a local timeout
     * or connection failure (the service may have done the work) and for the service's UNAVAILABLE
     * with {@code Error.outcome_unknown} (its database connection broke while the request was
     * committing). A service's UNAVAILABLE without it means the request stored nothing: giving up,
     * or sending it again under a new request id, is then safe too.
     */
    public boolean isOutcomeUnknown() {
        return outcomeUnknown || (local && (code == ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED
                || code == ErrorCode.ERROR_CODE_UNAVAILABLE));
    }

    /**
     * Whether retrying the same request (with the same request id) later may succeed: true for
     * UNAVAILABLE, RESOURCE_EXHAUSTED and DEADLINE_EXCEEDED. Retry with the same request id: a
     * retry is never applied twice, and after {@link #isOutcomeUnknown()} it is the only way to
     * learn what became of the request.
     */
    public boolean isRetryable() {
        return code == ErrorCode.ERROR_CODE_UNAVAILABLE
                || code == ErrorCode.ERROR_CODE_RESOURCE_EXHAUSTED
                || code == ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SyncServiceException[").append(code);
        if (local) {
            s.append(", local");
        }
        if (!field.isEmpty()) {
            s.append(", field=").append(field);
        }
        if (retryAfterMs > 0) {
            s.append(", retryAfterMs=").append(retryAfterMs);
        }
        if (outcomeUnknown) {
            s.append(", outcomeUnknown");
        }
        if (cursorExpiry != CursorExpiry.CURSOR_EXPIRY_UNSPECIFIED) {
            s.append(", ").append(cursorExpiry);
        }
        return s.append("]: ").append(getMessage()).toString();
    }
}
