package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.RemoveGroupMemberRequest;
import org.syncservice.protocol.v1.RemoveGroupMemberResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.GroupMapping;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.workspace.GroupService;

/** Serves remove_group_member. Thread-safe. */
public final class RemoveGroupMemberHandler implements OperationHandler {
    private final GroupService groups;

    public RemoveGroupMemberHandler(GroupService groups) {
        this.groups = groups;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.REMOVE_GROUP_MEMBER;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        RemoveGroupMemberRequest remove = request.getRemoveGroupMember();
        response.setRemoveGroupMember(RemoveGroupMemberResponse.newBuilder().setGroup(GroupMapping.group(
                groups.removeMember(call.caller().userId(), WireMapping.uuid("remove_group_member.group_id",
                        remove.getGroupId()), remove.getEmail()).group())));
    }
}
