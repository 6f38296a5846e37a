package org.syncservice.server.sync;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.sync.WorkspaceTransaction.RecordedRequest;

/**
 * commit and restoreVersion: each runs in one transaction that holds the workspace's lock, so
 * concurrent commits of a workspace apply one after the other and of two commits of one item
 * exactly one wins. The answer is stored in the same transaction, keyed by device and request id:
 * a retry (a client's, or the broker's redelivery after a crash) gets that answer again and
 * changes nothing. Thread-safe.
 */
public final class CommitService {
    static final String COMMIT = "commit";
    static final String RESTORE = "restore_version";

    private final SyncStore store;
    private final ItemNames names;
    private final ChangeLimits limits;
    private final int maxItemsPerCommit;
    private final Clock clock;

    public CommitService(SyncStore store, ItemNames names, ChangeLimits limits, int maxItemsPerCommit, Clock clock) {
        this.store = store;
        this.names = names;
        this.limits = limits;
        this.maxItemsPerCommit = maxItemsPerCommit;
        this.clock = clock;
    }

    /**
     * @param requestHash identifies the request's content: the same request id with another body is refused
     */
    public CommitResult commit(Principal caller, UUID workspaceId, String requestId, byte[] requestHash,
                               List<ItemChange> changes) {
        if (changes.isEmpty()) {
            throw ServiceException.invalidArgument("commit.items", "a commit needs at least one item");
        }
        if (changes.size() > maxItemsPerCommit) {
            throw ServiceException.invalidArgument("commit.items", changes.size()
                    + " items; the limit is " + maxItemsPerCommit + " per commit (max_items_per_commit)");
        }
        return store.inWorkspace(workspaceId, caller.userId(), tx -> {
            Optional<CommitResult> replay = replay(tx, caller, requestId, COMMIT, requestHash);
            if (replay.isPresent()) {
                return replay.get();
            }
            tx.prefetch(referencedItems(changes));
            long newItems = changes.stream().filter(c -> c.status() == ItemStatus.NEW).count();
            BatchEvaluator evaluator = new BatchEvaluator(tx, names, limits, caller.deviceId(), clock.millis(),
                    tx.allocateItemIds((int) newItems));
            evaluator.evaluate(changes);
            return applied(tx, evaluator.plan(requestId, COMMIT, requestHash));
        }).orElseThrow(() -> Workspaces.notFound(workspaceId));
    }

    /**
     * Commits an old version's content and name as the item's next version; a deleted item comes
     * back (in its old folder, which must be live). {@code latestVersion} is the version the client
     * believes is the latest: any other makes a conflict.
     */
    public CommitResult restore(Principal caller, UUID workspaceId, String requestId, byte[] requestHash,
                                long itemId, long version, long latestVersion) {
        return store.inWorkspace(workspaceId, caller.userId(), tx -> {
            Optional<CommitResult> replay = replay(tx, caller, requestId, RESTORE, requestHash);
            if (replay.isPresent()) {
                return replay.get();
            }
            tx.prefetch(List.of(itemId));
            ItemVersion current = tx.item(itemId).orElseThrow(() ->
                    ServiceException.notFound("no item " + itemId + " in workspace " + workspaceId));
            ItemVersion old = tx.version(itemId, version).orElseThrow(() ->
                    ServiceException.notFound("item " + itemId + " has no version " + version));
            long parentId = current.deleted() ? old.parentId() : current.parentId();
            ItemStatus status = parentId != current.parentId() ? ItemStatus.MOVED
                    : !old.name().equals(current.name()) || current.folder() ? ItemStatus.RENAMED
                    : ItemStatus.CHANGED;
            ItemChange change = new ItemChange(itemId, "", parentId, "", latestVersion + 1, status, old.name(),
                    old.mimeType(), old.folder(), old.checksum(), old.size(), old.modifiedAtMs(), old.chunks());
            tx.prefetch(List.of(parentId));
            BatchEvaluator evaluator = new BatchEvaluator(tx, names, limits, caller.deviceId(), clock.millis(),
                    new long[0]);
            evaluator.evaluateRestore(change);
            return applied(tx, evaluator.plan(requestId, RESTORE, requestHash));
        }).orElseThrow(() -> Workspaces.notFound(workspaceId));
    }

    private static CommitResult applied(WorkspaceTransaction tx, CommitPlan plan) {
        tx.apply(plan);
        return new CommitResult(plan.results(), plan.changeSeq());
    }

    private static Optional<CommitResult> replay(WorkspaceTransaction tx, Principal caller, String requestId,
                                                 String operation, byte[] requestHash) {
        Optional<RecordedRequest> recorded = tx.recordedRequest(caller.deviceId(), requestId);
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        if (!recorded.get().operation().equals(operation) || !Arrays.equals(recorded.get().requestHash(), requestHash)) {
            throw ServiceException.invalidArgument("request_id",
                    "request_id " + requestId + " was already used for a different request");
        }
        return Optional.of(new CommitResult(recorded.get().results(), recorded.get().changeSeq()));
    }

    private static List<Long> referencedItems(List<ItemChange> changes) {
        List<Long> ids = new ArrayList<>();
        for (ItemChange change : changes) {
            if (change.itemId() > 0) {
                ids.add(change.itemId());
            }
            if (change.parentId() > 0) {
                ids.add(change.parentId());
            }
        }
        return ids;
    }
}
