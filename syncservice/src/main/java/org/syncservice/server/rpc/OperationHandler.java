package org.syncservice.server.rpc;

import java.util.List;
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
     * Serves several calls of the operation and completes each one itself, before returning: its
     * response filled and {@link Call#succeed}, or {@link Call#fail} with its own failure. By
     * default one after the other; a handler that declares {@link Scheduling#TOGETHER} serves them
     * more cheaply. A call left uncompleted is answered as an internal error.
     */
    default void handleAll(List<Call> calls) {
        for (Call call : calls) {
            try {
                handle(call.request(), call.context(), call.response());
                call.succeed();
            } catch (RuntimeException e) {
                call.fail(e);
            }
        }
    }

    /**
     * One admitted request (decoded, checked and authenticated) with the one way to answer it.
     * Only the first completion counts; completing may publish the reply, on the calling thread.
     */
    interface Call {
        Request request();

        CallContext context();

        /** Filled by the handler before {@link #succeed}. */
        Response.Builder response();

        /** Answers the call with its filled response. */
        void succeed();

        /**
         * Answers the call with this failure: a {@link org.syncservice.server.core.ServiceException},
         * or an unexpected error.
         */
        void fail(RuntimeException failure);
    }
}
