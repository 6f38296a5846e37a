package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.ChangePasswordRequest;
import org.syncservice.protocol.v1.ChangePasswordResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.account.AccountService;
import org.syncservice.server.core.Principal;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;

/** Serves change_password for the calling user and device. Thread-safe. */
public final class ChangePasswordHandler implements OperationHandler {
    private final AccountService accounts;

    public ChangePasswordHandler(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.CHANGE_PASSWORD;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        ChangePasswordRequest change = request.getChangePassword();
        Principal caller = call.caller();
        int signedOut = accounts.changePassword(caller.userId(), caller.deviceId(), change.getCurrentPassword(),
                change.getNewPassword(), change.getKeepOtherDevices());
        response.setChangePassword(ChangePasswordResponse.newBuilder().setDevicesSignedOut(signedOut));
    }
}
