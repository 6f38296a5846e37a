package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.AddGroupMemberRequest;
import org.syncservice.protocol.v1.AddGroupMemberResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.GroupMapping;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.workspace.GroupService;

/** Serves add_group_member. Thread-safe. */
public final class AddGroupMemberHandler implements OperationHandler {
    private final GroupService groups;

    public AddGroupMemberHandler(GroupService groups) {
        this.groups = groups;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.ADD_GROUP_MEMBER;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        AddGroupMemberRequest add = request.getAddGroupMember();
        response.setAddGroupMember(AddGroupMemberResponse.newBuilder().setGroup(GroupMapping.group(
                groups.addMember(call.caller().userId(), WireMapping.uuid("add_group_member.group_id",
                        add.getGroupId()), add.getEmail()))));
    }
}
