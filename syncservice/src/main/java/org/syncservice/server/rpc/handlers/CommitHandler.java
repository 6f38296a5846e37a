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
import org.syncservice.server.rpc.wire.ItemMapping;
import org.syncservice.server.rpc.wire.WireMapping;
import org.syncservice.server.sync.CommitBatcher;
import org.syncservice.server.sync.CommitCall;
import org.syncservice.server.sync.CommitCompletion;
import org.syncservice.server.sync.CommitResult;
import org.syncservice.server.sync.CommitService;
import org.syncservice.server.sync.ItemChange;
import org.syncservice.server.sync.ItemResult;
import org.syncservice.server.sync.PendingCommit;

/**
 * Serves commit, one request at a time or several together: the commits that the instance's
 * consumers hand in at the same time go to the {@link CommitBatcher}, which serves them in shared
 * transactions and answers each through the completion this handler gives it. Thread-safe.
 */
public final class CommitHandler implements OperationHandler {
    private final CommitService commits;
    private final CommitBatcher batcher;

    public CommitHandler(CommitService commits, CommitBatcher batcher) {
        this.commits = commits;
        this.batcher = batcher;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.COMMIT;
    }

    /** Commits that arrive together share one transaction; a commit waits on nothing but the database. */
    @Override
    public Scheduling scheduling() {
        return Scheduling.TOGETHER;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        CommitCall commit = commitCall(request, call);
        CommitResult result = commits.commitAll(List.of(commit)).get(0).resultOrThrow();
        answer(result, response);
    }

    @Override
    public void handleAll(List<Call> calls) {
        List<PendingCommit> pending = new ArrayList<>(calls.size());
        for (Call call : calls) {
            try {
                pending.add(new PendingCommit(commitCall(call.request(), call.context()), answering(call)));
            } catch (RuntimeException e) {
                call.fail(e);
            }
        }
        batcher.submit(pending);
    }

    /** Answers the call with the commit's result in its response, or with the commit's failure. */
    private static CommitCompletion answering(Call call) {
        return new CommitCompletion() {
            @Override
            public void committed(CommitResult result) {
                answer(result, call.response());
                call.succeed();
            }

            @Override
            public void failed(RuntimeException failure) {
                call.fail(failure);
            }
        };
    }
    private static CommitCall commitCall(Request request, CallContext call) {
        CommitRequest commit = request.getCommit();
        List<ItemChange> changes = new ArrayList<>(commit.getItemsCount());
        for (CommitItem item : commit.getItemsList()) {
            changes.add(ItemMapping.change(item));
        }
        return new CommitCall(call.caller(), WireMapping.uuid("commit.workspace_id", commit.getWorkspaceId()),
                call.requestId(), ItemMapping.hash(commit), changes, commit.getReleaseLocks());
    }

    private static void answer(CommitResult result, Response.Builder response) {
        CommitResponse.Builder answer = CommitResponse.newBuilder().setChangeSeq(result.changeSeq());
        for (ItemResult item : result.results()) {
            answer.addResults(ItemMapping.result(item));
        }
        response.setCommit(answer);
    }
}
