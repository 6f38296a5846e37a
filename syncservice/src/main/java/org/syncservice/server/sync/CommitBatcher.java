package org.syncservice.server.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.syncservice.server.core.BatchObserver;
import org.syncservice.server.core.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the commits that threads hand in at the same time into groups, served by those threads
 * ({@link CommitService#commitAll}: one transaction, so one WAL flush, for many), and answers each
 * commit itself through its {@link CommitCompletion}: a group commit across the instance's
 * consumers.
 *
 * <p>At most two groups are served at once (two database backends, so both cores of a small
 * machine, and one group can use the CPU while the other waits for a round trip or its WAL flush);
 * what arrives while both run waits and forms the next, larger group. The thread that serves a
 * group is one whose commits are in it; when it is done, a waiting thread serves the next group, so
 * no thread serves a group after its own commits are answered. A group of many changes (large
 * commits) is served as two transactions at once, split by workspace, so that both database
 * backends work on its rows; the second parts go to one helper thread, so two split groups at once
 * run three transactions, the later second part waiting for the earlier. Thread-safe.
 */
public final class CommitBatcher {
    private static final Logger log = LoggerFactory.getLogger(CommitBatcher.class);
    /**
     * With several consumers; measured on two cores with four round trips per group: one group at
     * a time 878 commits/s, two 1,336/s.
     */
    static final int MOST_GROUPS_AT_ONCE = 2;

    /** Changes in a group from which it is served as two transactions at once (measured: docs/performance.md). */
    static final int SPLIT_AT_ITEMS = 64;

    private final Function<List<CommitCall>, List<CommitAnswer>> serve;
    /** Serves the second part of a split group; a daemon thread, idle unless groups are large. */
    private final Executor helper = Executors.newSingleThreadExecutor(DaemonThreads.named("commit-batcher-helper-"));
    private final BatchObserver batches;
    private final Object lock = new Object();
    private List<Submission> waiting = new ArrayList<>();
    private int serving;

    /** Commits handed in by one thread; answered once its group was served. */
    private static final class Submission {
        final List<PendingCommit> commits;
        boolean answered;

        Submission(List<PendingCommit> commits) {
            this.commits = commits;
        }
    }

    /** Serves commits with {@code commits}, telling {@code batches} the size of every group. */
    public CommitBatcher(CommitService commits, BatchObserver batches) {
        this(commits::commitAll, batches);
    }

    /**
     * @param serve serves one group; returns one answer per call, in order, and never throws
     * @param batches told the size of every group served
     */
    CommitBatcher(Function<List<CommitCall>, List<CommitAnswer>> serve, BatchObserver batches) {
        this.serve = serve;
        this.batches = batches;
    }

    /**
     * Serves the commits, together with whatever other threads hand in at the same time, and
     * returns once each of them was answered through its completion (on this thread or on the one
     * that served its group).
     */
    public void submit(List<PendingCommit> commits) {
        if (commits.isEmpty()) {
            return;
        }
        Submission mine = new Submission(commits);
        boolean interrupted = false;
        try {
            synchronized (lock) {
                waiting.add(mine);
            }
            while (true) {
                List<Submission> group;
                synchronized (lock) {
                    // Empty waiting list: these commits are in a group another thread serves.
                    while (!mine.answered && (!mayStart() || waiting.isEmpty())) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            // Another thread may be serving these commits: wait for their answers anyway.
                            interrupted = true;
                        }
                    }
                    if (mine.answered) {
                        return;
                    }
                    serving++;
                    group = waiting;
                    waiting = new ArrayList<>();
                }
                serveGroup(group);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void serveGroup(List<Submission> group) {
        List<PendingCommit> commits = new ArrayList<>();
        group.forEach(submission -> commits.addAll(submission.commits));
        try {
            serveSplitIfLarge(commits);
        } finally {
            synchronized (lock) {
                group.forEach(submission -> submission.answered = true);
                serving--;
                lock.notifyAll();
            }
        }
    }

    /**
     * Serves a group of at least {@link #SPLIT_AT_ITEMS} changes as two transactions at once, on
     * this thread and the helper, each with the commits of about half the workspaces: such a
     * group's cost is its rows, which two backends share, while a group of few changes costs mostly
     * its fixed start-up and round trips, which one transaction pays once. Commits of one workspace
     * stay in one part, in their order.
     */
    private void serveSplitIfLarge(List<PendingCommit> commits) {
        int changes = 0;
        for (PendingCommit commit : commits) {
            changes += commit.call().changes().size();
        }
        if (commits.size() < 2 || changes < SPLIT_AT_ITEMS) {
            serveOne(commits);
            return;
        }
        Map<UUID, Boolean> inFirst = new HashMap<>();
        List<PendingCommit> first = new ArrayList<>();
        List<PendingCommit> second = new ArrayList<>();
        int firstChanges = 0;
        int secondChanges = 0;
        for (PendingCommit commit : commits) {
            Boolean toFirst = inFirst.get(commit.call().workspaceId());
            if (toFirst == null) {
                toFirst = firstChanges <= secondChanges;
                inFirst.put(commit.call().workspaceId(), toFirst);
            }
            if (toFirst) {
                first.add(commit);
                firstChanges += commit.call().changes().size();
            } else {
                second.add(commit);
                secondChanges += commit.call().changes().size();
            }
        }
        if (second.isEmpty()) {
            serveOne(commits);
            return;
        }
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> serveOne(second), helper);
        serveOne(first);
        other.join();
    }

    /**
     * Serves commits in one transaction and answers each; never throws. A failure, an {@link Error}
     * included, is every commit's answer: an Error let through would leave the group's other
     * threads waiting and the count of groups being served raised, and two such would stop the
     * batcher for good.
     */
    private void serveOne(List<PendingCommit> commits) {
        List<CommitCall> calls = new ArrayList<>(commits.size());
        commits.forEach(commit -> calls.add(commit.call()));
        List<CommitAnswer> answers;
        try {
            answers = serve.apply(calls);
            batches.commitGroupServed(calls.size());
        } catch (RuntimeException e) {
            answers = failedAll(calls.size(), e);
        } catch (Error e) {
            log.error("serving a group of {} commits failed", calls.size(), e);
            answers = failedAll(calls.size(), new IllegalStateException("serving the commit group failed: " + e, e));
        }
        for (int i = 0; i < commits.size(); i++) {
            answer(commits.get(i).completion(), answers.get(i));
        }
    }

    private static List<CommitAnswer> failedAll(int count, RuntimeException failure) {
        List<CommitAnswer> answers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            answers.add(CommitAnswer.failed(failure));
        }
        return answers;
    }

    /** One completion that throws must not leave the group's other commits unanswered. */
    private static void answer(CommitCompletion completion, CommitAnswer answer) {
        try {
            answer.complete(completion);
        } catch (RuntimeException e) {
            log.error("answering a served commit failed", e);
        }
    }

    /** Whether a waiting thread may serve the waiting commits now. Called holding the lock. */
    private boolean mayStart() {
        return serving < MOST_GROUPS_AT_ONCE;
    }
}
