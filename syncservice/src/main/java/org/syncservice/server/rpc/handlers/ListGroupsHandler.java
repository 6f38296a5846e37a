package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.ListGroupsResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.GroupMapping;
import org.syncservice.server.workspace.GroupService;

/** Serves list_groups. Thread-safe. */
public final class ListGroupsHandler implements OperationHandler {
    private final GroupService groups;

    public ListGroupsHandler(GroupService groups) {
        this.groups = groups;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.LIST_GROUPS;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        ListGroupsResponse.Builder answer = ListGroupsResponse.newBuilder();
        groups.groups(call.caller().userId()).forEach(g -> answer.addGroups(GroupMapping.group(g)));
        response.setListGroups(answer);
    }
}
