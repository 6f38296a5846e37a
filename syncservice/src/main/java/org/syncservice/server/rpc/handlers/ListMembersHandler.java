package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.ListMembersResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.SharingMapping;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.workspace.SharingService;

/** Serves list_members. Thread-safe. */
public final class ListMembersHandler implements OperationHandler {
    private final SharingService sharing;

    public ListMembersHandler(SharingService sharing) {
        this.sharing = sharing;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.LIST_MEMBERS;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        ListMembersResponse.Builder answer = ListMembersResponse.newBuilder();
        sharing.members(call.caller().userId(),
                        WireMapping.uuid("list_members.workspace_id", request.getListMembers().getWorkspaceId()))
                .forEach(m -> answer.addMembers(SharingMapping.member(m)));
        response.setListMembers(answer);
    }
}
