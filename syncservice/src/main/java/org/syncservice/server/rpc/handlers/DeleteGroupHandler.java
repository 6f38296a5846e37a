package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.DeleteGroupResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.workspace.GroupService;

/** Serves delete_group. Thread-safe. */
public final class DeleteGroupHandler implements OperationHandler {
    private final GroupService groups;

    public DeleteGroupHandler(GroupService groups) {
        this.groups = groups;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.DELETE_GROUP;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        groups.delete(call.caller().userId(), WireMapping.uuid("delete_group.group_id",
                request.getDeleteGroup().getGroupId()));
        response.setDeleteGroup(DeleteGroupResponse.getDefaultInstance());
    }
}
