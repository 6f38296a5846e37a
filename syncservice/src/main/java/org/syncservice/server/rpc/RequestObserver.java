package org.syncservice.server.rpc;

/**
 * Told about every request the {@link RequestProcessor} answered, for metrics. Called on the
 * request's thread after the answer is ready, so implementations must be fast and thread-safe,
 * and must not throw.
 */
@FunctionalInterface
public interface RequestObserver {

    /** Observes nothing. */
    RequestObserver NONE = (operation, errorCode, nanos) -> { };

    /**
     * @param operation the operation's field name ("commit"), "unknown" when the request did not decode
     * @param errorCode "OK", or the error code answered without its prefix ("NOT_FOUND")
     * @param nanos time from receiving the request body to having the answer
     */
    void observe(String operation, String errorCode, long nanos);
}
