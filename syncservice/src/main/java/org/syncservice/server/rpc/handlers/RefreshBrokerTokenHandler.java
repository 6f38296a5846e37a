package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.RefreshBrokerTokenResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.auth.BrokerTokenService;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;

/**
 * Serves refresh_broker_token: a fresh broker token for the calling device, checked against the
 * database rather than the token cache, so a revoked device gets none. Thread-safe.
 */
public final class RefreshBrokerTokenHandler implements OperationHandler {
    private final BrokerTokenService tokens;

    public RefreshBrokerTokenHandler(BrokerTokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.REFRESH_BROKER_TOKEN;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        response.setRefreshBrokerToken(RefreshBrokerTokenResponse.newBuilder()
                .setBrokerToken(WireMapping.brokerToken(tokens.refresh(request.getToken(), call.caller().deviceId()))));
    }
}
