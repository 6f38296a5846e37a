package org.syncservice.server.rpc.handlers;

import java.util.UUID;
import org.syncservice.protocol.v1.ChangeMemberRoleRequest;
import org.syncservice.protocol.v1.ChangeMemberRoleResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.SharingMapping;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.workspace.RoleService;
import org.syncservice.server.workspace.RoleStore;

/** Serves change_member_role. Thread-safe. */
public final class ChangeMemberRoleHandler implements OperationHandler {
    private final RoleService roles;

    public ChangeMemberRoleHandler(RoleService roles) {
        this.roles = roles;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.CHANGE_MEMBER_ROLE;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        ChangeMemberRoleRequest change = request.getChangeMemberRole();
        UUID userId = change.getUserId().isEmpty() ? null
                : WireMapping.uuid("change_member_role.user_id", change.getUserId());
        RoleStore.RoleChange changed = roles.changeRole(call.caller(),
                WireMapping.uuid("change_member_role.workspace_id", change.getWorkspaceId()), change.getEmail(),
                userId, SharingMapping.grantedRole("change_member_role.role", change.getRoleValue(), false));
        ChangeMemberRoleResponse.Builder answer = ChangeMemberRoleResponse.newBuilder();
        changed.members().forEach(m -> answer.addMembers(SharingMapping.member(m)));
        response.setChangeMemberRole(answer);
    }
}
