package org.syncservice.server.rpc;

import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Response;

/**
 * The answer to one request, with what the transport and metrics want to know about it.
 *
 * @param response the reply to publish
 * @param operation the operation's field name ("commit"), or "unknown" when the request did not decode
 * @param error the error code answered, or {@code ERROR_CODE_UNSPECIFIED} on success
 */
public record RpcOutcome(Response response, String operation, ErrorCode error) {

    public boolean succeeded() {
        return error == ErrorCode.ERROR_CODE_UNSPECIFIED;
    }
}
