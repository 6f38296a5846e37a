package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.protocol.v1.ShareFolderResponse;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.ItemMapping;
import org.syncservice.server.rpc.wire.SharingMapping;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.workspace.SharedWorkspace;
import org.syncservice.server.workspace.SharingService;

/** Serves share_folder. Thread-safe. */
public final class ShareFolderHandler implements OperationHandler {
    private final SharingService sharing;

    public ShareFolderHandler(SharingService sharing) {
        this.sharing = sharing;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.SHARE_FOLDER;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        ShareFolderRequest share = request.getShareFolder();
        SharedWorkspace shared = sharing.share(call.caller(), call.requestId(), ItemMapping.hash(share),
                WireMapping.uuid("share_folder.workspace_id", share.getWorkspaceId()), share.getFolderId(),
                share.getEmailsList(), share.getGroupIdsList().stream()
                        .map(id -> WireMapping.uuid("share_folder.group_ids", id)).toList(),
                SharingMapping.grantedRole("share_folder.role", share.getRoleValue(), true));
        ShareFolderResponse.Builder answer = ShareFolderResponse.newBuilder()
                .setWorkspace(WireMapping.workspace(shared.workspace()));
        shared.members().forEach(m -> answer.addMembers(SharingMapping.member(m)));
        response.setShareFolder(answer);
    }
}
