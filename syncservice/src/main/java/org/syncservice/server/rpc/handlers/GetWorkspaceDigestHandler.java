package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.GetWorkspaceDigestResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.sync.WorkspaceDigest;
import org.syncservice.server.sync.WorkspaceDigests;

/** Serves get_workspace_digest. Thread-safe. */
public final class GetWorkspaceDigestHandler implements OperationHandler {
    private final WorkspaceDigests digests;

    public GetWorkspaceDigestHandler(WorkspaceDigests digests) {
        this.digests = digests;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.GET_WORKSPACE_DIGEST;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        WorkspaceDigest digest = digests.digest(call.caller(), WireMapping.uuid("get_workspace_digest.workspace_id",
                request.getGetWorkspaceDigest().getWorkspaceId()));
        response.setGetWorkspaceDigest(GetWorkspaceDigestResponse.newBuilder()
                .setChangeSeq(digest.changeSeq())
                .setLiveItemCount(digest.liveItemCount())
                .setDigest(digest.digest()));
    }
}
