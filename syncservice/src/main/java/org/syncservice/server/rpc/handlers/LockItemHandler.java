package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.LockItemRequest;
import org.syncservice.protocol.v1.LockItemResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.LockMapping;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.sync.LockService;

/** Serves lock_item. Thread-safe. */
public final class LockItemHandler implements OperationHandler {
    private final LockService locks;

    public LockItemHandler(LockService locks) {
        this.locks = locks;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.LOCK_ITEM;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        LockItemRequest lock = request.getLockItem();
        var taken = locks.lock(call.caller(), WireMapping.uuid("lock_item.workspace_id", lock.getWorkspaceId()),
                lock.getItemId(), lock.getDurationMs(), lock.getReason());
        response.setLockItem(LockItemResponse.newBuilder().setLock(LockMapping.lock(taken)));
    }
}
