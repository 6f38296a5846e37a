package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.protocol.v1.UnlockItemRequest;
import org.syncservice.protocol.v1.UnlockItemResponse;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.sync.LockService;

/** Serves unlock_item. Thread-safe. */
public final class UnlockItemHandler implements OperationHandler {
    private final LockService locks;

    public UnlockItemHandler(LockService locks) {
        this.locks = locks;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.UNLOCK_ITEM;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        UnlockItemRequest unlock = request.getUnlockItem();
        LockService.Unlocked done = locks.unlock(call.caller(),
                WireMapping.uuid("unlock_item.workspace_id", unlock.getWorkspaceId()), unlock.getItemId());
        response.setUnlockItem(UnlockItemResponse.newBuilder().setWasLocked(done.wasLocked()).setBroken(done.broken()));
    }
}
