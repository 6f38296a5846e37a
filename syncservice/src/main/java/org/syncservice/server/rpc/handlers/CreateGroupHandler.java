package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.CreateGroupResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.GroupMapping;
import org.syncservice.server.workspace.GroupService;

/** Serves create_group. Thread-safe. */
public final class CreateGroupHandler implements OperationHandler {
    private final GroupService groups;

    public CreateGroupHandler(GroupService groups) {
        this.groups = groups;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.CREATE_GROUP;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        response.setCreateGroup(CreateGroupResponse.newBuilder().setGroup(GroupMapping.group(
                groups.create(call.caller().userId(), request.getCreateGroup().getName()))));
    }
}
