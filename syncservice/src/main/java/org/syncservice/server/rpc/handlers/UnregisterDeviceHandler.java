package org.syncservice.server.rpc.handlers;

import java.util.UUID;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.protocol.v1.UnregisterDeviceResponse;
import org.syncservice.server.account.AccountService;
import org.syncservice.server.core.Principal;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;

/** Serves unregister_device: the calling device (empty id) or another device of the caller's user. Thread-safe. */
public final class UnregisterDeviceHandler implements OperationHandler {
    private final AccountService accounts;

    public UnregisterDeviceHandler(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.UNREGISTER_DEVICE;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        Principal caller = call.caller();
        String requested = request.getUnregisterDevice().getDeviceId();
        UUID deviceId = requested.isEmpty() ? caller.deviceId()
                : WireMapping.uuid("unregister_device.device_id", requested);
        accounts.unregisterDevice(caller.userId(), deviceId);
        response.setUnregisterDevice(UnregisterDeviceResponse.getDefaultInstance());
    }
}
