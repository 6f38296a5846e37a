package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.GetAccountInfoResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.account.AccountService;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;

/** Serves get_account_info: the caller's name, email and quota. Thread-safe. */
public final class GetAccountInfoHandler implements OperationHandler {
    private final AccountService accounts;

    public GetAccountInfoHandler(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.GET_ACCOUNT_INFO;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        response.setGetAccountInfo(GetAccountInfoResponse.newBuilder()
                .setAccount(WireMapping.account(accounts.accountInfo(call.caller().userId()))));
    }
}
