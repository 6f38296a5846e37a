package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.ListDevicesResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.account.AccountService;
import org.syncservice.server.account.DeviceInfo;
import org.syncservice.server.core.Principal;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;

/** Serves list_devices: the caller's user's registered devices. Thread-safe. */
public final class ListDevicesHandler implements OperationHandler {
    private final AccountService accounts;

    public ListDevicesHandler(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.LIST_DEVICES;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        Principal caller = call.caller();
        ListDevicesResponse.Builder devices = ListDevicesResponse.newBuilder();
        for (DeviceInfo device : accounts.listDevices(caller.userId())) {
            devices.addDevices(WireMapping.device(device, caller.deviceId()));
        }
        response.setListDevices(devices);
    }
}
