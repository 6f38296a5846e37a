package org.syncservice.server.rpc.handlers;

import java.util.Optional;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.protocol.v1.UpdateWorkspaceRequest;
import org.syncservice.protocol.v1.UpdateWorkspaceResponse;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.workspace.WorkspaceService;
import org.syncservice.server.workspace.WorkspaceView;

/** Serves update_workspace: the caller's own name and mount point of a workspace. Thread-safe. */
public final class UpdateWorkspaceHandler implements OperationHandler {
    private final WorkspaceService workspaces;

    public UpdateWorkspaceHandler(WorkspaceService workspaces) {
        this.workspaces = workspaces;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.UPDATE_WORKSPACE;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        UpdateWorkspaceRequest update = request.getUpdateWorkspace();
        WorkspaceView view = workspaces.updateOwnView(call.caller().userId(),
                WireMapping.uuid("update_workspace.workspace_id", update.getWorkspaceId()),
                update.hasName() ? Optional.of(update.getName()) : Optional.empty(),
                update.hasMountPoint() ? Optional.of(update.getMountPoint()) : Optional.empty());
        response.setUpdateWorkspace(UpdateWorkspaceResponse.newBuilder().setWorkspace(WireMapping.workspace(view)));
    }
}
