package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.protocol.v1.UnshareFolderRequest;
import org.syncservice.protocol.v1.UnshareFolderResponse;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.ItemMapping;
import org.syncservice.server.rpc.wire.SharingMapping;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.workspace.SharingService;

/** Serves unshare_folder. Thread-safe. */
public final class UnshareFolderHandler implements OperationHandler {
    private final SharingService sharing;

    public UnshareFolderHandler(SharingService sharing) {
        this.sharing = sharing;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.UNSHARE_FOLDER;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        UnshareFolderRequest unshare = request.getUnshareFolder();
        UnshareFolderResponse.Builder answer = UnshareFolderResponse.newBuilder();
        sharing.unshare(call.caller(), call.requestId(), ItemMapping.hash(unshare),
                        WireMapping.uuid("unshare_folder.workspace_id", unshare.getWorkspaceId()),
                        unshare.getEmailsList())
                .forEach(m -> answer.addMembers(SharingMapping.member(m)));
        response.setUnshareFolder(answer);
    }
}
