package org.syncservice.server.rpc.handlers;

import java.util.Optional;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.protocol.v1.UpdateDeviceRequest;
import org.syncservice.protocol.v1.UpdateDeviceResponse;
import org.syncservice.server.account.AccountService;
import org.syncservice.server.account.DeviceDetails;
import org.syncservice.server.account.DeviceInfo;
import org.syncservice.server.core.Principal;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;

/** Serves update_device for the calling device. Thread-safe. */
public final class UpdateDeviceHandler implements OperationHandler {
    private final AccountService accounts;

    public UpdateDeviceHandler(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.UPDATE_DEVICE;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        UpdateDeviceRequest update = request.getUpdateDevice();
        DeviceDetails details = new DeviceDetails(
                update.hasName() ? Optional.of(update.getName()) : Optional.empty(),
                update.hasOs() ? Optional.of(update.getOs()) : Optional.empty(),
                update.hasAppVersion() ? Optional.of(update.getAppVersion()) : Optional.empty());
        Principal caller = call.caller();
        DeviceInfo device = accounts.updateDevice(caller.userId(), caller.deviceId(), details);
        response.setUpdateDevice(UpdateDeviceResponse.newBuilder()
                .setDevice(WireMapping.device(device, caller.deviceId())));
    }
}
