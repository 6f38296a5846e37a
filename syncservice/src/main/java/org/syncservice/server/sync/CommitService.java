package org.syncservice.server.sync;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    private final ChunkVerifier chunks;

    public CommitService(SyncStore store, ItemNames names, ChangeLimits limits, int maxItemsPerCommit, Clock clock,
                         ChunkVerifier chunks) {
        this.store = store;
        this.chunks = chunks;
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
        for (int i = 0; i < changes.size(); i++) {
            checkTempIds(changes.get(i), i);
        }
        Set<String> missing = chunks.missing(caller.userId(), workspaceId, namedChunks(changes));
        return store.inWorkspace(workspaceId, caller.userId(), tx -> {
            Optional<CommitResult> replay = replay(tx, caller, requestId, COMMIT, requestHash);
            if (replay.isPresent()) {
                return replay.get();
            }
            tx.prefetch(referencedItems(changes));
            prefetchNames(tx, changes);
            long newItems = changes.stream().filter(c -> c.status() == ItemStatus.NEW).count();
            BatchEvaluator evaluator = new BatchEvaluator(tx, names, limits, caller.deviceId(), clock.millis(),
                    tx.allocateItemIds((int) newItems), missing);
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
            // A restore brings back chunks the item had: they were in storage when they were committed.
            BatchEvaluator evaluator = new BatchEvaluator(tx, names, limits, caller.deviceId(), clock.millis(),
                    new long[0], Set.of());
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

    /**
     * Temporary ids are echoed in the answer and kept with it, so one that cannot be stored makes
     * the whole request invalid rather than one item.
     */
    private static void checkTempIds(ItemChange change, int index) {
        checkTempId(change.tempId(), "commit.items[" + index + "].temp_id");
        checkTempId(change.parentTempId(), "commit.items[" + index + "].parent_temp_id");
    }

    private static void checkTempId(String tempId, String field) {
        if (tempId.length() > ChangeLimits.MAX_TEMP_ID_LENGTH || !ChangeLimits.isPlainText(tempId)) {
            throw ServiceException.invalidArgument(field, field + " must be at most "
                    + ChangeLimits.MAX_TEMP_ID_LENGTH + " characters without control characters");
        }
    }

    /** The places the request's items want, in folders that exist already (new folders hold nothing yet). */
    private void prefetchNames(WorkspaceTransaction tx, List<ItemChange> changes) {
        List<Long> parents = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (ItemChange change : changes) {
            if (change.status() != ItemStatus.DELETED && change.parentTempId().isEmpty() && change.parentId() >= 0
                    && names.problem(change.name()).isEmpty()) {
                parents.add(change.parentId());
                keys.add(ItemNames.key(change.name()));
            }
        }
        if (!parents.isEmpty()) {
            tx.prefetchLiveChildren(parents, keys);
        }
    }

    /** The chunks the request's new file versions name (a deletion names none). */
    private static Set<String> namedChunks(List<ItemChange> changes) {
        Set<String> named = new LinkedHashSet<>();
        for (ItemChange change : changes) {
            if (change.status() != ItemStatus.DELETED && !change.folder()) {
                named.addAll(change.chunks());
            }
        }
        return named;
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
