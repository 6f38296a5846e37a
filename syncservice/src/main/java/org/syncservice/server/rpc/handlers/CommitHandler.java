package org.syncservice.server.rpc.handlers;

import java.util.ArrayList;
import java.util.List;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.sync.CommitResult;
import org.syncservice.server.sync.CommitService;
import org.syncservice.server.sync.ItemChange;
import org.syncservice.server.sync.ItemResult;

/** Serves commit. Thread-safe. */
public final class CommitHandler implements OperationHandler {
    private final CommitService commits;

    public CommitHandler(CommitService commits) {
        this.commits = commits;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.COMMIT;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        CommitRequest commit = request.getCommit();
        List<ItemChange> changes = new ArrayList<>(commit.getItemsCount());
        for (CommitItem item : commit.getItemsList()) {
            changes.add(ItemMapping.change(item));
        }
        CommitResult result = commits.commit(call.caller(),
                WireMapping.uuid("commit.workspace_id", commit.getWorkspaceId()), call.requestId(),
                ItemMapping.hash(commit), changes);
        CommitResponse.Builder answer = CommitResponse.newBuilder().setChangeSeq(result.changeSeq());
        for (ItemResult item : result.results()) {
            answer.addResults(ItemMapping.result(item));
        }
        response.setCommit(answer);
    }
}
