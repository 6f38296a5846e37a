package org.syncservice.server.rpc;

import java.time.Duration;
import org.syncservice.protocol.v1.CursorExpiry;
import org.syncservice.protocol.v1.Error;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.server.core.CursorExpiredException;
import org.syncservice.server.core.ServiceException;

/**
 * The one place where failures become protocol errors. Whatever is not a
 * {@link ServiceException} is a bug: the client gets INTERNAL with a fixed message, never the
 * exception's text. Thread-safe (stateless).
 */
final class ErrorMapper {
    /** Retry hint for UNAVAILABLE when the failure gave none. */
    static final Duration DEFAULT_UNAVAILABLE_RETRY = Duration.ofSeconds(1);

    Error toError(ServiceException failure) {
        Duration retryAfter = failure.retryAfter();
        if (failure.kind() == ServiceException.Kind.UNAVAILABLE && retryAfter.isZero()) {
            retryAfter = DEFAULT_UNAVAILABLE_RETRY;
        }
        Error.Builder error = Error.newBuilder()
                .setCode(codeOf(failure.kind()))
                .setMessage(failure.getMessage())
                .setField(failure.field())
                .setRetryAfterMs(retryAfter.toMillis())
                .setOutcomeUnknown(failure.kind() == ServiceException.Kind.UNAVAILABLE
                        && failure.outcome() != ServiceException.Outcome.NOTHING_STORED);
        if (failure instanceof CursorExpiredException expired) {
            error.setCursorExpiry(expiryOf(expired.reason()));
        }
        return error.build();
    }

    static CursorExpiry expiryOf(CursorExpiredException.Reason reason) {
        return switch (reason) {
            case NOT_SAID -> CursorExpiry.CURSOR_EXPIRY_UNSPECIFIED;
            case HISTORY_PURGED -> CursorExpiry.CURSOR_EXPIRY_HISTORY_PURGED;
            case HISTORY_REWOUND -> CursorExpiry.CURSOR_EXPIRY_HISTORY_REWOUND;
        };
    }

    Error internal() {
        return Error.newBuilder()
                .setCode(ErrorCode.ERROR_CODE_INTERNAL)
                .setMessage("internal error; the service logged the details")
                .build();
    }

    static ErrorCode codeOf(ServiceException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> ErrorCode.ERROR_CODE_INVALID_ARGUMENT;
            case UNAUTHENTICATED -> ErrorCode.ERROR_CODE_UNAUTHENTICATED;
            case PERMISSION_DENIED -> ErrorCode.ERROR_CODE_PERMISSION_DENIED;
            case NOT_FOUND -> ErrorCode.ERROR_CODE_NOT_FOUND;
            case CONFLICT -> ErrorCode.ERROR_CODE_CONFLICT;
            case QUOTA_EXCEEDED -> ErrorCode.ERROR_CODE_QUOTA_EXCEEDED;
            case RATE_LIMITED -> ErrorCode.ERROR_CODE_RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> ErrorCode.ERROR_CODE_UNAVAILABLE;
            case UNIMPLEMENTED -> ErrorCode.ERROR_CODE_UNIMPLEMENTED;
            case DEADLINE_EXCEEDED -> ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED;
            case CURSOR_EXPIRED -> ErrorCode.ERROR_CODE_CURSOR_EXPIRED;
        };
    }
}
