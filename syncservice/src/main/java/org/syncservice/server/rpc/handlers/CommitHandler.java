package org.syncservice.server.rpc.handlers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.core.BatchObserver;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.sync.CommitAnswer;
import org.syncservice.server.sync.CommitCall;
import org.syncservice.server.sync.CommitResult;
import org.syncservice.server.sync.CommitService;
import org.syncservice.server.sync.ItemChange;
import org.syncservice.server.sync.ItemResult;

/**
 * Serves commit, one request at a time or several together: the commits that the instance's
 * consumers hand in at the same time are merged ({@link CommitLane}) and served in one
 * transaction ({@link CommitService#commitAll}). Thread-safe.
 */
public final class CommitHandler implements OperationHandler {
    private final CommitService commits;
    private final CommitLane lane;

    /** @param batches told the size of every group the lane serves */
    public CommitHandler(CommitService commits, BatchObserver batches) {
        this.commits = commits;
        this.lane = new CommitLane(commits::commitAll, batches);
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
        CommitResult result = commits.commit(commit.caller(), commit.workspaceId(), commit.requestId(),
                commit.requestHash(), commit.changes());
        answer(result, response);
    }

    @Override
    public List<Optional<RuntimeException>> handleAll(List<Call> calls) {
        List<Optional<RuntimeException>> failures = new ArrayList<>(Collections.nCopies(calls.size(), Optional.empty()));
        List<CommitCall> mapped = new ArrayList<>(calls.size());
        List<Integer> positions = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            try {
                mapped.add(commitCall(calls.get(i).request(), calls.get(i).context()));
                positions.add(i);
            } catch (RuntimeException e) {
                failures.set(i, Optional.of(e));
            }
        }
        List<CommitAnswer> answers = lane.submit(mapped);
        for (int k = 0; k < answers.size(); k++) {
            int i = positions.get(k);
            CommitAnswer answer = answers.get(k);
            if (answer.failure() != null) {
                failures.set(i, Optional.of(answer.failure()));
            } else {
                answer(answer.result(), calls.get(i).response());
            }
        }
        return failures;
    }

    private static CommitCall commitCall(Request request, CallContext call) {
        CommitRequest commit = request.getCommit();
        List<ItemChange> changes = new ArrayList<>(commit.getItemsCount());
        for (CommitItem item : commit.getItemsList()) {
            changes.add(ItemMapping.change(item));
        }
        return new CommitCall(call.caller(), WireMapping.uuid("commit.workspace_id", commit.getWorkspaceId()),
                call.requestId(), ItemMapping.hash(commit), changes);
    }

    private static void answer(CommitResult result, Response.Builder response) {
        CommitResponse.Builder answer = CommitResponse.newBuilder().setChangeSeq(result.changeSeq());
        for (ItemResult item : result.results()) {
            answer.addResults(ItemMapping.result(item));
        }
        response.setCommit(answer);
    }
}
