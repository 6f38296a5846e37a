package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.ListWorkspacesResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.workspace.WorkspaceService;
import org.syncservice.server.workspace.WorkspaceView;

/** Serves list_workspaces: the workspaces the caller is a member of, as they see them. Thread-safe. */
public final class ListWorkspacesHandler implements OperationHandler {
    private final WorkspaceService workspaces;

    public ListWorkspacesHandler(WorkspaceService workspaces) {
        this.workspaces = workspaces;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.LIST_WORKSPACES;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        ListWorkspacesResponse.Builder list = ListWorkspacesResponse.newBuilder();
        for (WorkspaceView view : workspaces.list(call.caller().userId())) {
            list.addWorkspaces(WireMapping.workspace(view));
        }
        response.setListWorkspaces(list);
    }
}
