package org.syncservice.server.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A request that cannot be served, for a reason the caller should learn. The service's layers
 * throw it; the RPC layer maps its {@link Kind} to a protocol error code in one place. The message
 * is shown to the client, so it names what was wrong and never carries SQL, stack traces or
 * internal names. Immutable.
 */
public class ServiceException extends RuntimeException {

    /** Why the request failed; each maps to one protocol error code. */
    public enum Kind {
        INVALID_ARGUMENT,
        UNAUTHENTICATED,
        PERMISSION_DENIED,
        NOT_FOUND,
        CONFLICT,
        QUOTA_EXCEEDED,
        RATE_LIMITED,
        UNAVAILABLE,
        UNIMPLEMENTED,
        DEADLINE_EXCEEDED,
        CURSOR_EXPIRED
    }

    /**
     * What a request that failed left stored. Every failure but UNAVAILABLE stored nothing; an
     * UNAVAILABLE whose database connection broke while its transaction was committing may have.
     */
    public enum Outcome {
        /** Nothing of the request was stored: a retry is applied as if it were the first. */
        NOTHING_STORED,
        /**
         * The request's transaction committed, or may have and retrying it is harmless (its answer
         * is stored, or it is naturally idempotent): its answer is what a retry with the same
         * request id gets, and the service retries it at once instead of answering the failure.
         */
        ANSWER_BY_RETRY,
        /**
         * The request may have been applied: whether its transaction committed could not be found
         * out in time, or it was applied and a later step failed. Only a retry with the same
         * request id is safe, and the client must be told so.
         */
        UNKNOWN
    }

    private final Kind kind;
    private final String field;
    private final Duration retryAfter;
    private final Outcome outcome;

    public ServiceException(Kind kind, String message, String field, Duration retryAfter, Throwable cause) {
        this(kind, message, field, retryAfter, cause, Outcome.NOTHING_STORED);
    }

    private ServiceException(Kind kind, String message, String field, Duration retryAfter, Throwable cause,
                             Outcome outcome) {
        super(Objects.requireNonNull(message, "message"), cause, false, false);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.field = field == null ? "" : field;
        this.retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
        this.outcome = outcome;
    }

    public static ServiceException invalidArgument(String field, String message) {
        return new ServiceException(Kind.INVALID_ARGUMENT, message, field, null, null);
    }

    public static ServiceException unauthenticated(String message) {
        return new ServiceException(Kind.UNAUTHENTICATED, message, null, null, null);
    }

    public static ServiceException permissionDenied(String message) {
        return new ServiceException(Kind.PERMISSION_DENIED, message, null, null, null);
    }

    public static ServiceException notFound(String message) {
        return new ServiceException(Kind.NOT_FOUND, message, null, null, null);
    }

    public static ServiceException conflict(String message) {
        return new ServiceException(Kind.CONFLICT, message, null, null, null);
    }

    public static ServiceException quotaExceeded(String message) {
        return new ServiceException(Kind.QUOTA_EXCEEDED, message, null, null, null);
    }

    public static ServiceException rateLimited(String message, Duration retryAfter) {
        return new ServiceException(Kind.RATE_LIMITED, message, null, retryAfter, null);
    }

    public static ServiceException unavailable(String message, Duration retryAfter, Throwable cause) {
        return new ServiceException(Kind.UNAVAILABLE, message, null, retryAfter, cause);
    }

    /**
     * The database connection broke while the request's transaction was committing, and it did
     * commit (its stored answer is there) or retrying it is harmless: see {@link Outcome#ANSWER_BY_RETRY}.
     */
    public static ServiceException answerByRetry(String message, Duration retryAfter, Throwable cause) {
        return new ServiceException(Kind.UNAVAILABLE, message, null, retryAfter, cause, Outcome.ANSWER_BY_RETRY);
    }

    /** UNAVAILABLE for a request that may have been (or was) applied: see {@link Outcome#UNKNOWN}. */
    public static ServiceException outcomeUnknown(String message, Duration retryAfter, Throwable cause) {
        return new ServiceException(Kind.UNAVAILABLE, message, null, retryAfter, cause, Outcome.UNKNOWN);
    }

    public static ServiceException unimplemented(String message) {
        return new ServiceException(Kind.UNIMPLEMENTED, message, null, null, null);
    }

    public static ServiceException deadlineExceeded(String message) {
        return new ServiceException(Kind.DEADLINE_EXCEEDED, message, null, null, null);
    }

    public static ServiceException cursorExpired(String message) {
        return cursorExpired(message, CursorExpiredException.Reason.NOT_SAID);
    }

    /** CURSOR_EXPIRED saying why, which the client's reconciliation depends on. */
    public static ServiceException cursorExpired(String message, CursorExpiredException.Reason reason) {
        return new CursorExpiredException(message, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** The request field the failure is about, as a path; empty when none. */
    public String field() {
        return field;
    }

    /** When to retry; {@link Duration#ZERO} when the failure gives no hint. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** What the failed request left stored; {@link Outcome#NOTHING_STORED} for every kind but UNAVAILABLE. */
    public Outcome outcome() {
        return outcome;
    }

    /** Whether this is UNAVAILABLE for a request that stored nothing. */
    public boolean isUnavailableWithNothingStored() {
        return kind == Kind.UNAVAILABLE && outcome == Outcome.NOTHING_STORED;
    }
}
