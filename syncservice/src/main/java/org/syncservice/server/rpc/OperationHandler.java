package org.syncservice.server.rpc;

import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;

/**
 * Serves one operation of the protocol: turns the request's operation message into calls on the
 * service logic and fills the matching result field of the response. Failures are thrown as
 * {@link org.syncservice.server.core.ServiceException}; the processor maps them to error replies.
 * Implementations are thread-safe: one instance serves every consumer thread.
 */
public interface OperationHandler {

    /** The request field this handler serves. */
    Request.OperationCase operation();

    /** Whether the request must carry a valid device token. Only login and server info need none. */
    default boolean requiresAuthentication() {
        return true;
    }

    void handle(Request request, CallContext call, Response.Builder response);
}
