package org.syncservice.server.sync;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.sync.WorkspaceBatch.Prefetch;
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
        return commitAll(List.of(new CommitCall(caller, workspaceId, requestId, requestHash, changes))).get(0)
                .resultOrThrow();
    }

    /**
     * Serves several commits together: those of distinct workspaces (and distinct owners) share one
     * transaction and a handful of statements, so many commits cost one WAL flush. Each call is
     * answered as if it had been served alone, in the order given: a call of a workspace (or an
     * owner) that an earlier call of the group already touches waits for the next round, so it
     * sees that call's effects. When a round's transaction fails for a reason that is not one
     * call's answer (a database error), it rolls back and each of its calls is served alone, so
     * one call can never fail another.
     *
     * @return one answer per call, in order
     */
    public List<CommitAnswer> commitAll(List<CommitCall> calls) {
        CommitAnswer[] answers = new CommitAnswer[calls.size()];
        Map<Integer, StoredChunkSizes> missing = new HashMap<>();
        List<Integer> waiting = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            CommitCall call = calls.get(i);
            try {
                check(call);
                missing.put(i, chunks.stored(call.caller().userId(), call.workspaceId(), namedChunks(call.changes())));
                waiting.add(i);
            } catch (RuntimeException e) {
                answers[i] = CommitAnswer.failed(e);
            }
        }
        while (!waiting.isEmpty()) {
            List<Integer> round = new ArrayList<>();
            List<Integer> later = new ArrayList<>();
            Set<UUID> workspaces = new HashSet<>();
            Set<WorkspaceBatch.RequestKey> keys = new HashSet<>();
            for (int i : waiting) {
                CommitCall call = calls.get(i);
                boolean free = workspaces.add(call.workspaceId());
                if (free && keys.add(call.key())) {
                    round.add(i);
                } else {
                    if (free) {
                        workspaces.remove(call.workspaceId());
                    }
                    later.add(i);
                }
            }
            Round served = serveRound(calls, round, missing, answers);
            later.addAll(0, served.later());
            if (served.databaseAway() != null) {
                // The calls left would each wait for a connection in turn, later than their clients wait.
                // None of them was in a transaction yet: they stored nothing, whatever the round did.
                ServiceException storedNothing = ServiceException.unavailable("the database is unavailable; retry later",
                        served.databaseAway().retryAfter(), served.databaseAway());
                later.forEach(i -> answers[i] = CommitAnswer.failed(storedNothing));
                break;
            }
            later.sort(null);
            waiting = later;
        }
        return List.of(answers);
    }

    /**
     * What serving a round left: the calls for the next round (their owner was taken by an earlier
     * call), and, when the database turned out to be away, the answer for every call left.
     */
    private record Round(List<Integer> later, ServiceException databaseAway) {
    }

    private Round serveRound(List<CommitCall> calls, List<Integer> round, Map<Integer, StoredChunkSizes> missing,
                             CommitAnswer[] answers) {
        try {
            return new Round(inOneTransaction(calls, round, missing, answers), null);
        } catch (RuntimeException e) {
            // Nothing of the round was stored (or, its COMMIT in doubt, its calls' stored answers are
            // there): serve its calls one by one, each with its own outcome, as retries.
            // When one of them, alone, finds the database unavailable as well (away, or no connection
            // free within the pool's timeout; deadlocks cannot occur, since locks are taken in one
            // order), the others get that answer at once instead of each waiting for a connection in
            // turn, which in an outage made a group's last answers later than its clients' timeouts.
            // Their clients retry with the same request ids.
            // When the round's connection broke around its COMMIT, the round may have stored its
            // calls: a call alone that finds the database away stored nothing itself, but says
            // nothing of the round, whose outcome is then the call's (docs/reliability.md).
            ServiceException inDoubt = e instanceof ServiceException failed
                    && failed.kind() == ServiceException.Kind.UNAVAILABLE && !failed.isUnavailableWithNothingStored()
                    ? failed : null;
            ServiceException away = null;
            for (int i : round) {
                answers[i] = away != null ? CommitAnswer.failed(away) : answerAlone(calls, i, missing.get(i));
                if (answers[i].failure() instanceof ServiceException refused
                        && refused.kind() == ServiceException.Kind.UNAVAILABLE) {
                    if (inDoubt != null && refused.isUnavailableWithNothingStored()) {
                        answers[i] = CommitAnswer.failed(inDoubt);
                    }
                    away = (ServiceException) answers[i].failure();
                }
            }
            return new Round(List.of(), away);
        }
    }

    /**
     * Serves the calls of one round in one transaction: their locks, stored answers and everything
     * they will look up are read in its first round trip; returns the calls left for the next round.
     */
    private List<Integer> inOneTransaction(List<CommitCall> calls, List<Integer> round,
                                           Map<Integer, StoredChunkSizes> missing, CommitAnswer[] answers) {
        List<WorkspaceBatch.Access> accesses = new ArrayList<>(round.size());
        int newItems = 0;
        // What a call left for the next round or answered from its stored answer does not use is
        // simply not looked at.
        List<Prefetch> wants = new ArrayList<>(round.size());
        for (int k = 0; k < round.size(); k++) {
            CommitCall call = calls.get(round.get(k));
            accesses.add(new WorkspaceBatch.Access(call.workspaceId(), call.caller().userId(), call.key()));
            newItems += newItems(call.changes());
            Prefetch places = places(k, call.changes());
            wants.add(new Prefetch(k, referencedItems(call.changes()), places.parentIds(), places.nameKeys()));
        }
        return store.inWorkspaces(accesses, newItems, wants,
                batch -> new CommitRound(batch, calls, round, missing, answers).serve());
    }

    /** A call served as a round of its own, after the round it was in failed. */
    private CommitAnswer answerAlone(List<CommitCall> calls, int i, StoredChunkSizes storedChunks) {
        CommitAnswer[] answer = new CommitAnswer[calls.size()];
        try {
            // A round of one call has one owner: nothing is left for a next round.
            inOneTransaction(calls, List.of(i), Map.of(i, storedChunks), answer);
            return answer[i];
        } catch (RuntimeException e) {
            return CommitAnswer.failed(e);
        }
    }

    /**
     * One round of {@link #commitAll} inside its transaction: the reads of every call in one go,
     * then each call's evaluation against its own workspace's view.
     */
    private final class CommitRound {
        private final WorkspaceBatch batch;
        private final List<CommitCall> calls;
        private final List<Integer> round;
        private final Map<Integer, StoredChunkSizes> missing;
        private final CommitAnswer[] answers;

        CommitRound(WorkspaceBatch batch, List<CommitCall> calls, List<Integer> round,
                    Map<Integer, StoredChunkSizes> missing, CommitAnswer[] answers) {
            this.batch = batch;
            this.calls = calls;
            this.round = round;
            this.missing = missing;
            this.answers = answers;
        }

        List<Integer> serve() {
            List<Integer> later = new ArrayList<>();
            Map<Integer, WorkspaceTransaction> views = new LinkedHashMap<>();
            Set<UUID> owners = new HashSet<>();
            for (int k = 0; k < round.size(); k++) {
                int i = round.get(k);
                Optional<WorkspaceTransaction> view = batch.workspace(k);
                if (view.isEmpty()) {
                    answers[i] = CommitAnswer.failed(Workspaces.notFound(calls.get(i).workspaceId()));
                } else if (!owners.add(view.get().workspace().ownerId())) {
                    later.add(i); // the owner's quota is charged by an earlier call of this round
                } else {
                    views.put(k, view.get());
                }
            }
            Set<WorkspaceBatch.RequestKey> recorded = batch.recordedRequests();
            int newItems = 0;
            for (int k : views.keySet()) {
                CommitCall call = calls.get(round.get(k));
                if (!recorded.contains(call.key())) {
                    newItems += newItems(call.changes());
                }
            }
            long[] ids = batch.allocateItemIds(newItems);
            int nextId = 0;
            for (Map.Entry<Integer, WorkspaceTransaction> entry : views.entrySet()) {
                int i = round.get(entry.getKey());
                CommitCall call = calls.get(i);
                try {
                    if (recorded.contains(call.key())) {
                        answers[i] = CommitAnswer.of(replay(entry.getValue(), call.caller(), call.requestId(), COMMIT,
                                call.requestHash()).orElseThrow(() -> new IllegalStateException(
                                "the stored answer of request " + call.requestId() + " vanished")));
                        continue;
                    }
                    int count = newItems(call.changes());
                    long[] mine = Arrays.copyOfRange(ids, nextId, nextId + count);
                    nextId += count;
                    requireWriter(entry.getValue(), "readers may not commit");
                    answers[i] = CommitAnswer.of(evaluate(entry.getValue(), call, mine, missing.get(i)));
                } catch (ServiceException e) {
                    answers[i] = CommitAnswer.failed(e);
                }
            }
            return later;
        }
    }

    private CommitResult evaluate(WorkspaceTransaction tx, CommitCall call, long[] newIds, StoredChunkSizes storedChunks) {
        CommitEvaluator evaluator = new CommitEvaluator(tx, names, limits, call.caller().deviceId(), clock.millis(),
                newIds, storedChunks, call.releaseLocks());
        evaluator.evaluate(call.changes());
        return applied(tx, evaluator.plan(call.requestId(), COMMIT, call.requestHash()));
    }

    /** What makes a request invalid as a whole, before anything is read. */
    private void check(CommitCall call) {
        List<ItemChange> changes = call.changes();
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
    }

    private static int newItems(List<ItemChange> changes) {
        return (int) changes.stream().filter(c -> c.status() == ItemStatus.NEW).count();
    }

    /**
     * Commits an old version's content and name as the item's next version; a deleted item comes
     * back (in its old folder, which must be live). {@code latestVersion} is the version the client
     * believes is the latest: any other makes a conflict.
     */
    public CommitResult restore(Principal caller, UUID workspaceId, String requestId, byte[] requestHash,
                                long itemId, long version, long latestVersion) {
        WorkspaceBatch.Access access = new WorkspaceBatch.Access(workspaceId, caller.userId(),
                new WorkspaceBatch.RequestKey(caller.deviceId(), requestId));
        Prefetch item = new Prefetch(0, List.of(itemId), List.of(), List.of());
        return store.inWorkspaces(List.of(access), 0, List.of(item), batch -> batch.workspace(0).map(tx -> {
            Optional<CommitResult> replay = replay(tx, caller, requestId, RESTORE, requestHash);
            if (replay.isPresent()) {
                return replay.get();
            }
            requireWriter(tx, "readers may not restore versions");
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
            // A restore brings back chunks the item had: they were in storage when they were committed.
            CommitEvaluator evaluator = new CommitEvaluator(tx, names, limits, caller.deviceId(), clock.millis(),
                    new long[0], StoredChunkSizes.UNCHECKED, false);
            evaluator.evaluateRestore(change);
            return applied(tx, evaluator.plan(requestId, RESTORE, requestHash));
        })).orElseThrow(() -> Workspaces.notFound(workspaceId));
    }

    /**
     * Refuses a write of a member whose role, read holding the workspace's lock, does not write. A
     * stored answer is replayed before this check: a retry of a commit that landed before a
     * downgrade gets the answer it had.
     */
    private static void requireWriter(WorkspaceTransaction tx, String what) {
        tx.workspace().role().requireWrites(what);
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
    private Prefetch places(int index, List<ItemChange> changes) {
        List<Long> parents = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (ItemChange change : changes) {
            if (change.status() != ItemStatus.DELETED && change.parentTempId().isEmpty() && change.parentId() >= 0
                    && names.problem(change.name()).isEmpty()) {
                parents.add(change.parentId());
                keys.add(ItemNames.key(change.name()));
            }
        }
        return new Prefetch(index, List.of(), parents, keys);
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
