package org.syncservice.desktop.engine;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.desktop.content.ChunkTransfer;
import org.syncservice.desktop.content.ContentChangedException;
import org.syncservice.desktop.content.FileContent;
import org.syncservice.desktop.content.TransferProgress;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.plan.CommitOp;
import org.syncservice.desktop.plan.Parent;
import org.syncservice.desktop.state.RemoteItem;
import org.syncservice.desktop.state.StateDatabase;
import org.syncservice.desktop.state.StateDatabase.PendingCommit;
import org.syncservice.desktop.state.SyncedItem;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.protocol.v1.RejectReason;

/**
 * Pushes the planner's commits: uploads the chunks storage lacks, then commits in requests of at
 * most the service's {@code max_items_per_commit}, each journaled in the state database before it
 * is sent and retried under the same request id while its outcome is unknown, so a kill at any
 * moment never commits a change twice. A restart sends what the journal still holds again first
 * ({@link #replayJournal}); the service answers those from its stored replies. Used from the engine
 * thread only.
 */
final class CommitExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(CommitExecutor.class);

    private final Path root;
    private final String workspaceId;
    private final SyncClient client;
    private final ChunkTransfer transfer;
    private final StateDatabase state;
    private final Problems problems;
    private final int maxItemsPerCommit;
    private final ParallelTransfers uploads;
    /** Names refused as held by another item in the last commit, by path: the holder and its version. */
    private Map<String, String> races = new HashMap<>();
    private final Map<String, String> racesNow = new HashMap<>();

    CommitExecutor(Path root, String workspaceId, SyncClient client, ChunkTransfer transfer, StateDatabase state,
                   Problems problems, int maxItemsPerCommit, int uploadsAtOnce) {
        this.root = root;
        this.workspaceId = workspaceId;
        this.client = client;
        this.transfer = transfer;
        this.state = state;
        this.problems = problems;
        this.maxItemsPerCommit = maxItemsPerCommit;
        this.uploads = new ParallelTransfers(uploadsAtOnce);
    }

    /**
     * Sends the commits the journal holds from before a restart. Only the remote tree learns their
     * answers: the next round sees its own changes there and agrees on them by content.
     */
    void replayJournal() {
        for (PendingCommit pending : state.pendingCommits()) {
            CommitRequest request;
            try {
                request = CommitRequest.parseFrom(pending.request());
            } catch (InvalidProtocolBufferException e) {
                state.forgetCommit(pending.requestId());
                continue;
            }
            CommitResponse response = Retries.call(() -> client.commit(request, pending.requestId()));
            List<RemoteItem> seen = new ArrayList<>();
            for (CommitItemResult result : response.getResultsList()) {
                if (result.hasCurrent()) {
                    seen.add(RemoteItems.of(result.getCurrent()));
                }
            }
            state.inTransaction(() -> {
                state.recordRemote(seen, workspaceId, null);
                state.forgetCommit(pending.requestId());
            });
            LOG.info("sent again a commit of {} items interrupted before its answer", request.getItemsCount());
        }
    }

    /** Uploads and commits; returns how many operations succeeded. */
    int run(List<CommitOp> ops, TransferProgress progress, Stopping stopping) throws IOException {
        int done = 0;
        Map<String, Long> created = new HashMap<>();
        racesNow.clear();
        // A commit's worth uploaded, then committed: a first sync of many files records its
        // progress as it goes, and a stop or a kill leaves at most one batch uploaded but uncommitted.
        for (int from = 0; from < ops.size() && !stopping.stopping(); from += maxItemsPerCommit) {
            List<CommitOp> slice = ops.subList(from, Math.min(ops.size(), from + maxItemsPerCommit));
            List<CommitOp> ready = uploads.run(slice, op -> upload(op, progress), stopping::stopping);
            if (!ready.isEmpty() && !stopping.stopping()) {
                done += commit(ready, created);
            }
        }
        races = new HashMap<>(racesNow);
        return done;
    }

    private boolean upload(CommitOp op, TransferProgress progress) throws IOException {
        FileContent content = op instanceof CommitOp.New n ? n.content()
                : op instanceof CommitOp.Change c ? c.content() : null;
        if (content == null || content.chunks().isEmpty()) {
            return true;
        }
        try {
            transfer.upload(root.resolve(op.path()), content, progress);
            return true;
        } catch (ContentChangedException e) {
            return false; // being edited: read again next round
        }
    }

    private int commit(List<CommitOp> batch, Map<String, Long> created) {
        CommitRequest.Builder request = CommitRequest.newBuilder().setWorkspaceId(workspaceId);
        List<CommitOp> sent = new ArrayList<>();
        java.util.Set<String> tempsInRequest = new java.util.HashSet<>();
        for (CommitOp op : batch) {
            CommitItem item = item(op, created, tempsInRequest);
            if (item != null) {
                request.addItems(item);
                sent.add(op);
                if (op instanceof CommitOp.New n) {
                    tempsInRequest.add(n.tempId());
                }
            }
        }
        if (sent.isEmpty()) {
            return 0;
        }
        String requestId = SyncClient.newRequestId();
        CommitRequest built = request.build();
        state.journalCommit(new PendingCommit(requestId, built.toByteArray(), sent.stream().map(CommitOp::path).toList()));
        CommitResponse response;
        try {
            response = Retries.call(() -> client.commit(built, requestId));
        } catch (SyncServiceException e) {
            if (!e.isOutcomeUnknown() && !e.isLocal()) {
                state.forgetCommit(requestId); // refused as a whole: nothing was stored
            }
            throw e;
        }
        int[] done = {0};
        state.inTransaction(() -> {
            for (int i = 0; i < sent.size(); i++) {
                if (apply(sent.get(i), response.getResults(i), created)) {
                    done[0]++;
                }
            }
            state.forgetCommit(requestId);
        });
        return done[0];
    }

    private CommitItem item(CommitOp op, Map<String, Long> created, java.util.Set<String> tempsInRequest) {
        CommitItem.Builder b = CommitItem.newBuilder();
        if (op instanceof CommitOp.New n) {
                b.setTempId(n.tempId()).setVersion(1).setStatus(ItemStatus.ITEM_STATUS_NEW)
                        .setName(nameOf(n.path())).setIsFolder(n.entry().folder());
                if (!parent(b, n.parent(), created, tempsInRequest)) {
                    return null;
                }
                if (n.content() != null) {
                    content(b, n.content(), n.entry());
                }
        } else if (op instanceof CommitOp.Change c) {
                b.setItemId(c.base().itemId()).setVersion(c.version()).setStatus(ItemStatus.ITEM_STATUS_CHANGED)
                        .setName(c.base().name()).setParentId(c.base().parentId());
                content(b, c.content(), c.entry());
        } else if (op instanceof CommitOp.Move m) {
                b.setItemId(m.base().itemId()).setVersion(m.version()).setName(m.name());
                boolean sameParent = !m.parent().isNew() && m.parent().itemId() == m.base().parentId();
                b.setStatus(sameParent ? ItemStatus.ITEM_STATUS_RENAMED : ItemStatus.ITEM_STATUS_MOVED);
                if (!sameParent && !parent(b, m.parent(), created, tempsInRequest)) {
                    return null;
                }
        } else if (op instanceof CommitOp.Delete d) {
            b.setItemId(d.base().itemId()).setVersion(d.version()).setStatus(ItemStatus.ITEM_STATUS_DELETED);
        }
        return b.build();
    }

    private static boolean parent(CommitItem.Builder b, Parent parent, Map<String, Long> created,
                                  java.util.Set<String> tempsInRequest) {
        if (!parent.isNew()) {
            if (parent.itemId() != 0) {
                b.setParentId(parent.itemId());
            }
            return true;
        }
        if (tempsInRequest.contains(parent.tempId())) {
            b.setParentTempId(parent.tempId());
            return true;
        }
        Long id = created.get(parent.tempId());
        if (id == null) {
            return false; // its folder did not make it: next round
        }
        b.setParentId(id);
        return true;
    }

    private static void content(CommitItem.Builder b, FileContent content, LocalEntry entry) {
        b.setChecksum(content.checksum()).setSize(content.size()).addAllChunks(content.chunks())
                .setModifiedAtMs(Math.max(0, entry.modifiedMs()));
    }

    /** Records one item's answer; true when the item is committed as asked. */
    private boolean apply(CommitOp op, CommitItemResult result, Map<String, Long> created) {
        CommitOutcome outcome = result.getOutcome();
        RemoteItem current = result.hasCurrent() ? RemoteItems.of(result.getCurrent()) : null;
        if (current != null) {
            state.recordRemote(List.of(current), workspaceId, null);
        }
        if (outcome == CommitOutcome.COMMIT_OUTCOME_COMMITTED || outcome == CommitOutcome.COMMIT_OUTCOME_ALREADY_COMMITTED) {
            if (op instanceof CommitOp.New n) {
                created.put(n.tempId(), current.itemId());
            }
            agree(op, current);
            problems.solved(op.path());
            return true;
        }
        if (outcome == CommitOutcome.COMMIT_OUTCOME_CONFLICT) {
            return false; // the remote tree has the newer version now; the next round merges
        }
        RejectReason reason = result.getReason();
        if (reason == RejectReason.REJECT_REASON_LOCKED && entryOf(op) != null) {
            problems.lockedOut(op.path(), entryOf(op), "locked by another device: " + result.getMessage(),
                    result.getLock().getExpiresAtMs());
        } else if (reason == RejectReason.REJECT_REASON_ITEM_NOT_FOUND) {
            if (op instanceof CommitOp.Delete d) {
                state.forgetSyncedSubtree(d.base().itemId());
            }
        } else if (reason != RejectReason.REJECT_REASON_DEPENDENCY_FAILED
                && reason != RejectReason.REJECT_REASON_INVALID_PARENT) {
            LocalEntry entry = entryOf(op);
            if (entry != null && !heldUnderTheSameName(reason, current, op.path())) {
                problems.serviceRefused(op.path(), entry, describe(reason, result.getMessage()));
            } else if (entry != null) {
                String holder = current.itemId() + ":" + current.version();
                racesNow.put(op.path(), holder);
                if (holder.equals(races.get(op.path()))) {
                    // The same holder, unchanged, refused it the round before: not a race the next
                    // round resolves, so it is reported and skipped rather than tried every round.
                    problems.serviceRefused(op.path(), entry, describe(reason, result.getMessage()));
                }
            }
        }
        LOG.info("commit of {} refused: {} {}", op.path(), reason, result.getMessage());
        return false;
    }

    /**
     * A name held by an item under exactly that name is a race the next round resolves (the holder
     * is new to this device, or moves away here); a holder whose name differs only in case is a
     * clash that stays until the user renames one of them.
     */
    private static boolean heldUnderTheSameName(RejectReason reason, RemoteItem holder, String path) {
        return reason == RejectReason.REJECT_REASON_NAME_TAKEN && holder != null
                && holder.name().equals(nameOf(path));
    }

    /** The agreed state after a successful commit: the service's, as far as it is what was sent. */
    private void agree(CommitOp op, RemoteItem current) {
        if (op instanceof CommitOp.Delete d) {
                state.forgetSyncedSubtree(d.base().itemId());
                state.forgetRemote(List.of(d.base().itemId()));
        } else if (op instanceof CommitOp.New n) {
                if (sameContent(current, n.content())) {
                    state.putSynced(RemoteItems.agreed(current, n.entry()));
                }
        } else if (op instanceof CommitOp.Change c) {
                if (current.version() == c.version() || sameContent(current, c.content())) {
                    state.putSynced(RemoteItems.agreed(current, c.entry()));
                } else {
                    SyncedItem b = c.base();
                    state.putSynced(new SyncedItem(b.itemId(), b.parentId(), b.name(), false, c.version(),
                            c.content().checksum(), c.content().size(), c.entry().modifiedMs(), c.content().chunks(),
                            c.entry().fileKey(), c.entry().size(), c.entry().modifiedMs()));
                }
        } else if (op instanceof CommitOp.Move m) {
                SyncedItem b = m.base();
                // Only the place changed; the content stays as agreed before (it may change next).
                state.placeSynced(b.itemId(), current.parentId(), current.name(),
                        current.version() == m.version() ? m.version() : b.version());
                state.lookSynced(b.itemId(), m.entry().fileKey(), b.localSize(), b.localModifiedMs());
        }
    }

    private static boolean sameContent(RemoteItem current, FileContent content) {
        return content == null ? current.folder() : current.checksum().equals(content.checksum());
    }

    private static LocalEntry entryOf(CommitOp op) {
        if (op instanceof CommitOp.New n) {
            return n.entry();
        } else if (op instanceof CommitOp.Change c) {
            return c.entry();
        } else if (op instanceof CommitOp.Move m) {
            return m.entry();
        }
        return null;
    }

    private static String describe(RejectReason reason, String message) {
        String what = switch (reason) {
            case REJECT_REASON_INVALID_NAME -> "the service refuses the name";
            case REJECT_REASON_NAME_TAKEN -> "the name is taken in that folder (names differing only in case clash)";
            case REJECT_REASON_QUOTA_EXCEEDED -> "over the account's quota";
            default -> "refused (" + reason.name().toLowerCase(java.util.Locale.ROOT).replace("reject_reason_", "") + ")";
        };
        return message.isEmpty() ? what : what + ": " + message;
    }

    private static String nameOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** Tells long work to stop at the next operation (the client is closing). */
    @FunctionalInterface
    interface Stopping {
        boolean stopping();
    }
}
