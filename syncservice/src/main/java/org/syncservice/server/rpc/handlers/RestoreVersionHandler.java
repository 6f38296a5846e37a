package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.protocol.v1.RestoreVersionRequest;
import org.syncservice.protocol.v1.RestoreVersionResponse;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.ItemMapping;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.sync.CommitResult;
import org.syncservice.server.sync.CommitService;

/** Serves restore_version. Thread-safe. */
public final class RestoreVersionHandler implements OperationHandler {
    private final CommitService commits;

    public RestoreVersionHandler(CommitService commits) {
        this.commits = commits;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.RESTORE_VERSION;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        RestoreVersionRequest restore = request.getRestoreVersion();
        CommitResult result = commits.restore(call.caller(),
                WireMapping.uuid("restore_version.workspace_id", restore.getWorkspaceId()), call.requestId(),
                ItemMapping.hash(restore), restore.getItemId(), restore.getVersion(), restore.getLatestVersion());
        response.setRestoreVersion(RestoreVersionResponse.newBuilder()
                .setResult(ItemMapping.result(result.results().get(0)))
                .setChangeSeq(result.changeSeq()));
    }
}
