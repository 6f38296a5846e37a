package org.syncservice.server.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;

/**
 * Serves one operation of the protocol: turns the request's operation message into calls on the
 * service logic and fills the matching result field of the response. Failures are thrown as
 * {@link org.syncservice.server.core.ServiceException}; the processor maps them to error replies.
 * Each handler declares how its requests are scheduled ({@link #scheduling()}); a handler that
 * wraps another passes the wrapped one's scheduling and {@link #handleAll} through.
 * Implementations are thread-safe: one instance serves every consumer thread.
 */
public interface OperationHandler {

    /** Where the transport serves a handler's requests. */
    enum Scheduling {
        /**
         * Each request on a thread of the pool ({@code amqp.other-request-threads}), never on the
         * thread that hands requests in (a channel's worker): it may be slow (a password hash, calls
         * to the storage back-end) and must not hold up the requests grouped behind it.
         */
        APART,
        /**
         * On the thread that hands requests in, with the other requests of the operation handed in
         * with it, through {@link #handleAll}: for an operation served more cheaply several at once
         * (commit: one database transaction for many). Such a handler must not wait on anything slow.
         */
        TOGETHER
    }

    /** The request field this handler serves. */
    Request.OperationCase operation();

    /** Whether the request must carry a valid device token. Only login and server info need none. */
    default boolean requiresAuthentication() {
        return true;
    }

    /** How this handler's requests are scheduled; {@link Scheduling#APART} unless it says otherwise. */
    default Scheduling scheduling() {
        return Scheduling.APART;
    }

    void handle(Request request, CallContext call, Response.Builder response);

    /**
     * Serves several calls of the operation; each is still answered on its own: its response
     * filled, or its own failure returned. By default one after the other; a handler that declares
     * {@link Scheduling#TOGETHER} serves them more cheaply.
     *
     * @return per call, in order: empty when its response was filled, else the failure to answer
     *     (a {@link org.syncservice.server.core.ServiceException}, or an unexpected error)
     */
    default List<Optional<RuntimeException>> handleAll(List<Call> calls) {
        List<Optional<RuntimeException>> failures = new ArrayList<>(calls.size());
        for (Call call : calls) {
            try {
                handle(call.request(), call.context(), call.response());
                failures.add(Optional.empty());
            } catch (RuntimeException e) {
                failures.add(Optional.of(e));
            }
        }
        return failures;
    }

    /** One admitted request: decoded, checked and authenticated. */
    record Call(Request request, CallContext context, Response.Builder response) {
    }
}
