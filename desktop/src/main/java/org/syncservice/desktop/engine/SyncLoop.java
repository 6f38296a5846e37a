package org.syncservice.desktop.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.client.SyncServiceException;
import org.syncservice.desktop.content.TransferProgress;
import org.syncservice.desktop.local.FolderScanner;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.local.SyncRootMissingException;
import org.syncservice.desktop.plan.CommitOp;
import org.syncservice.desktop.plan.LocalOp;
import org.syncservice.desktop.plan.Plan;
import org.syncservice.desktop.plan.PlanInput;
import org.syncservice.desktop.plan.Planner;
import org.syncservice.desktop.state.RemoteItem;
import org.syncservice.desktop.state.StateDatabase;
import org.syncservice.desktop.state.StatusReport;
import org.syncservice.desktop.state.SyncedItem;
import org.syncservice.protocol.v1.StorageAccess;

/**
 * The engine's thread: waits for a reason to look (a local change, a remote change, a retry, the
 * periodic rescan), then plans and runs rounds until a round has nothing to do. Between operations
 * it checks whether the client is closing, so a stop finishes the operation at hand and parks the
 * rest (the next start plans them again from the trees).
 */
final class SyncLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);
    /** Rounds in a row before the loop lets a wait happen (a safety net against a plan that never empties). */
    static final int MAX_ROUNDS = 100;
    static final Duration RETRY_DELAY = Duration.ofSeconds(5);
    /** Files read at once before a plan: a first sync's hashing overlaps the disk's and the cores' waits. */
    static final int READERS = 4;

    private final FolderScanner scanner;
    private final StateDatabase state;
    private final Planner planner;
    private final ContentCache contents;
    private final LocalExecutor local;
    private final CommitExecutor commits;
    private final Problems problems;
    private final RemoteFeed feed;
    private final org.syncservice.desktop.engine.ProgressListener progress;
    private final Duration rescanInterval;
    private final Runnable agreed;
    private final ServiceStorageUrls urls;
    private final ParallelTransfers transfers;
    private final WorkspaceRole role;
    private final FolderSelection selection;
    private final Object signal = new Object();
    private boolean dirty = true;
    private volatile boolean closing;
    private volatile boolean idle;
    private volatile String fatal;
    private Optional<String> lastError = Optional.empty();
    private Optional<String> lastHeldBack = Optional.empty();

    SyncLoop(FolderScanner scanner, StateDatabase state, Planner planner, ContentCache contents, LocalExecutor local,
             CommitExecutor commits, Problems problems, RemoteFeed feed, ProgressListener progress,
             Duration rescanInterval, Runnable agreed, ServiceStorageUrls urls, ParallelTransfers transfers,
             WorkspaceRole role, FolderSelection selection) {
        this.role = role;
        this.selection = selection;
        this.scanner = scanner;
        this.state = state;
        this.planner = planner;
        this.contents = contents;
        this.local = local;
        this.commits = commits;
        this.problems = problems;
        this.feed = feed;
        this.progress = progress;
        this.rescanInterval = rescanInterval;
        this.agreed = agreed;
        this.urls = urls;
        this.transfers = transfers;
    }

    /** Something may have changed: plan again soon. Any thread. */
    void wake() {
        synchronized (signal) {
            dirty = true;
            idle = false;
            signal.notifyAll();
        }
    }

    /** Stops after the operation at hand. Any thread. */
    void close() {
        closing = true;
        wake();
    }

    /** Stops for good: the credential or the workspace is gone. Any thread. */
    void fail(String why) {
        fatal = why;
        LOG.error("stopping: {}", why);
        close();
    }

    Optional<String> fatal() {
        return Optional.ofNullable(fatal);
    }

    /** Whether the last round found nothing to do and nothing woke the loop since. */
    boolean isIdle() {
        return idle;
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (Throwable e) {
            // Out of memory or worse: stop for good and say so, rather than look alive doing nothing.
            fatal = "the sync engine failed: " + e;
            LOG.error("the sync engine failed", e);
            try {
                state.recordStatus("stopped", Optional.empty(), Optional.of(fatal), List.of(), List.of());
            } catch (RuntimeException | Error ignored) {
                // the status is best effort here
            }
        }
    }

    private void loop() {
        boolean replayed = false;
        while (!closing) {
            if (!awaitReason()) {
                break;
            }
            try {
                if (!replayed) {
                    commits.replayJournal();
                    replayed = true;
                }
                rounds();
            } catch (SyncServiceException | IOException | java.io.UncheckedIOException e) {
                LOG.debug("sync round failed", e);
                error(describe(e));
                retrySoon();
            } catch (RuntimeException e) {
                LOG.error("sync round failed", e);
                error(e.toString());
                retrySoon();
            }
        }
        feed.savePosition();
        state.recordStatus("stopped", Optional.empty(), Optional.ofNullable(fatal), List.of(), List.of());
    }

    private void rounds() throws IOException {
        for (int round = 0; round < MAX_ROUNDS && !closing; round++) {
            synchronized (signal) {
                dirty = false;
            }
            Map<String, LocalEntry> localTree = new HashMap<>();
            try {
                for (LocalEntry e : scanner.scan()) {
                    localTree.put(e.path(), e);
                }
            } catch (SyncRootMissingException e) {
                state.recordStatus("blocked", Optional.of("the synced folder is missing (" + e.getMessage()
                        + "); waiting for it to come back"), lastError, List.of(), List.of());
                retrySoon();
                return;
            }
            Map<Long, SyncedItem> synced = state.syncedTree();
            // Outside the selected folders nothing is uploaded or deleted: the plan never sees it.
            localTree = selection.keep(localTree, synced);
            contents.warm(unknownFiles(localTree, synced), READERS);
            Map<Long, RemoteItem> remote = state.remoteChanges();
            PlanInput input = new PlanInput(localTree, synced, remote, problems.skippedPaths(localTree),
                    problems.skippedItems(remote));
            Plan plan = readersKeepTheirChanges(planner.plan(input, contents));
            List<StatusReport.Transfer> uploads = uploads(plan);
            List<StatusReport.Transfer> downloads = downloads(plan);
            if (plan.isEmpty()) {
                state.recordStatus(plan.blocked().isPresent() ? "blocked" : "idle", plan.blocked(), lastError,
                        List.of(), List.of());
                synchronized (signal) {
                    idle = !dirty;
                }
                feed.savePosition();
                agreed.run();
                return;
            }
            state.recordStatus("syncing", plan.blocked(), lastError, uploads, downloads);
            if (execute(plan, uploads, downloads) == 0) {
                // Nothing could be done now (files being written, a folder not there yet): look again soon.
                retrySoon();
                return;
            }
            lastError = Optional.empty();
        }
    }

    /**
     * A READER's plan without its commits: the local changes stay in the folder, the status says
     * why, and the loop rests (nothing else to do) until the role changes or the service sends
     * something to apply.
     */
    private Plan readersKeepTheirChanges(Plan plan) {
        if (role.uploads() || plan.commits().isEmpty()) {
            return plan;
        }
        String held = role.heldBack(plan.commits().size());
        if (!Optional.of(held).equals(lastHeldBack)) {
            LOG.warn("{}", held);
            lastHeldBack = Optional.of(held);
        }
        return new Plan(plan.local(), List.of(), Optional.of(plan.blocked().map(b -> b + "; " + held).orElse(held)));
    }

    private int execute(Plan plan, List<StatusReport.Transfer> uploads, List<StatusReport.Transfer> downloads)
            throws IOException {
        long files = uploads.size() + downloads.size();
        long bytes = uploads.stream().mapToLong(StatusReport.Transfer::size).sum()
                + downloads.stream().mapToLong(StatusReport.Transfer::size).sum();
        AtomicLong filesDone = new AtomicLong();
        AtomicLong bytesDone = new AtomicLong();
        TransferProgress transferred = new TransferProgress() {
            @Override
            public void transferred(long n) {
                progress.onProgress(new Progress(filesDone.get(), files, bytesDone.addAndGet(n), bytes));
            }

            @Override
            public void skipped(long n) {
                transferred(n);
            }
        };
        int done = 0;
        try {
            // Everything but the downloads in the plan's order (folders before what goes in them),
            // then the downloads several at once: each needs only its folder.
            List<LocalOp.Download> deferred = new ArrayList<>();
            for (LocalOp op : plan.local()) {
                if (closing) {
                    return done;
                }
                if (op instanceof LocalOp.Download d) {
                    deferred.add(d);
                } else if (runLocal(op, transferred)) {
                    done++;
                }
            }
            if (!deferred.isEmpty() && !closing) {
                urls.prepare(StorageAccess.STORAGE_ACCESS_READ, chunksOf(deferred));
                done += transfers.run(deferred, d -> {
                    boolean placed = runLocal(d, transferred);
                    if (placed) {
                        filesDone.incrementAndGet();
                    }
                    return placed;
                }, () -> closing).size();
            }
            if (!plan.commits().isEmpty() && !closing) {
                urls.prepare(StorageAccess.STORAGE_ACCESS_WRITE, chunksToUpload(plan.commits()));
                int committed = commits.run(plan.commits(), transferred, () -> closing);
                filesDone.addAndGet(committed);
                done += committed;
            }
        } finally {
            urls.forget();
        }
        progress.onProgress(new Progress(filesDone.get(), files, bytesDone.get(), bytes));
        return done;
    }

    /** Runs one local operation; a failure is reported and leaves it for a later round. */
    private boolean runLocal(LocalOp op, TransferProgress transferred) {
        try {
            return local.run(op, transferred);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} failed", op, e);
            error(op.getClass().getSimpleName() + " failed: " + describe(e));
            return false;
        }
    }

    private static List<String> chunksOf(List<LocalOp.Download> downloads) {
        List<String> chunks = new ArrayList<>();
        downloads.forEach(d -> chunks.addAll(d.item().chunks()));
        return chunks;
    }

    private static List<String> chunksToUpload(List<CommitOp> ops) {
        List<String> chunks = new ArrayList<>();
        for (CommitOp op : ops) {
            if (op instanceof CommitOp.New n && n.content() != null) {
                chunks.addAll(n.content().chunks());
            } else if (op instanceof CommitOp.Change c) {
                chunks.addAll(c.content().chunks());
            }
        }
        return chunks;
    }

    /** Local files that do not look as any synced file did (by file key, size and time): a plan reads them. */
    private static List<LocalEntry> unknownFiles(Map<String, LocalEntry> local, Map<Long, SyncedItem> synced) {
        Map<String, SyncedItem> byKey = new HashMap<>();
        for (SyncedItem s : synced.values()) {
            if (s.fileKey() != null && !s.folder()) {
                byKey.put(s.fileKey(), s);
            }
        }
        List<LocalEntry> unknown = new ArrayList<>();
        for (LocalEntry e : local.values()) {
            if (e.folder() || e.fileKey() == null) {
                continue;
            }
            SyncedItem s = byKey.get(e.fileKey());
            if (s == null || s.localSize() != e.size() || s.localModifiedMs() != e.modifiedMs()) {
                unknown.add(e);
            }
        }
        return unknown;
    }

    private static List<StatusReport.Transfer> uploads(Plan plan) {
        List<StatusReport.Transfer> uploads = new ArrayList<>();
        for (CommitOp op : plan.commits()) {
            if (op instanceof CommitOp.New n && n.content() != null) {
                uploads.add(new StatusReport.Transfer(n.path(), n.content().size()));
            } else if (op instanceof CommitOp.Change c) {
                uploads.add(new StatusReport.Transfer(c.path(), c.content().size()));
            }
        }
        return uploads;
    }

    private static List<StatusReport.Transfer> downloads(Plan plan) {
        List<StatusReport.Transfer> downloads = new ArrayList<>();
        for (LocalOp op : plan.local()) {
            if (op instanceof LocalOp.Download d) {
                downloads.add(new StatusReport.Transfer(d.path(), d.item().size()));
            }
        }
        return downloads;
    }

    /** A one-line account of a failure, for the log and {@code status}: file system errors name only the path. */
    static String describe(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            String reason = f.getReason() == null ? e.getClass().getSimpleName() : f.getReason();
            return reason + ": " + f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private void error(String message) {
        lastError = Optional.ofNullable(message);
        LOG.warn("sync: {}", message);
        try {
            state.recordStatus("syncing", Optional.empty(), lastError, List.of(), List.of());
        } catch (RuntimeException e) {
            LOG.debug("cannot record the status: {}", e.toString());
        }
    }

    private long retryAt;

    private void retrySoon() {
        retryAt = System.currentTimeMillis() + RETRY_DELAY.toMillis();
    }

    /** Waits for a change, a retry or the rescan interval; false when closing. */
    private boolean awaitReason() {
        long rescanAt = System.currentTimeMillis() + rescanInterval.toMillis();
        synchronized (signal) {
            while (!dirty && !closing) {
                long now = System.currentTimeMillis();
                long until = retryAt > 0 ? Math.min(retryAt, rescanAt) : rescanAt;
                if (now >= until) {
                    break;
                }
                try {
                    signal.wait(until - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            retryAt = 0;
            return !closing;
        }
    }
}
