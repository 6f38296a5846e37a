package org.syncservice.server.rpc.handlers;

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
import org.syncservice.server.sync.CommitAnswer;
import org.syncservice.server.sync.CommitCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the commits that consumer threads hand in at the same time into groups, served by those
 * threads: a group commit across the instance's consumers. At most two groups are served at once
 * (two database backends, so both cores of a small machine, and one group can use the CPU while
 * the other waits for a round trip or its WAL flush); what arrives while both run waits and forms
 * the next, larger group. The thread that serves a group is one whose commits are in it; when it
 * is done, a waiting thread serves the next group, so no thread serves a group after its own is
 * answered. With one consumer (the default) the lane only ever sees one thread; with more, each
 * serves its own channel's commits at once, up to two groups. A group of many changes (large
 * commits) is served as two transactions at once, split by workspace, so that both database
 * backends work on its rows; the second parts go to one helper thread, so two split groups at once
 * run three transactions, the later second part waiting for the earlier.
 */
final class CommitLane {
    private static final Logger log = LoggerFactory.getLogger(CommitLane.class);
    /**
     * With several consumers; measured on two cores with four round trips per group: one group at
     * a time 878 commits/s, two 1,336/s.
     */
    static final int MOST_GROUPS_AT_ONCE = 2;

    /** Changes in a group from which it is served as two transactions at once (measured: docs/performance.md). */
    static final int SPLIT_AT_ITEMS = 64;

    private final Function<List<CommitCall>, List<CommitAnswer>> serve;
    /** Serves the second part of a split group; a daemon thread, idle unless groups are large. */
    private final Executor helper = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "commit-lane-helper");
        thread.setDaemon(true);
        return thread;
    });
    private final BatchObserver batches;
    private final Object lock = new Object();
    private List<Submission> waiting = new ArrayList<>();
    private int serving;

    /** Calls handed in by one thread, and their answers once served. */
    private static final class Submission {
        final List<CommitCall> calls;
        List<CommitAnswer> answers;

        Submission(List<CommitCall> calls) {
            this.calls = calls;
        }
    }

    /**
     * @param serve serves one group; returns one answer per call, in order, and never throws
     * @param batches told the size of every group served
     */
    CommitLane(Function<List<CommitCall>, List<CommitAnswer>> serve, BatchObserver batches) {
        this.serve = serve;
        this.batches = batches;
    }

    /** Serves the calls, together with whatever other threads hand in at the same time. */
    List<CommitAnswer> submit(List<CommitCall> calls) {
        Submission mine = new Submission(calls);
        boolean interrupted = false;
        try {
            synchronized (lock) {
                waiting.add(mine);
            }
            while (true) {
                List<Submission> group;
                synchronized (lock) {
                    // Empty waiting list: these calls are in a group another thread serves.
                    while (mine.answers == null && (!mayStart() || waiting.isEmpty())) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            // Another thread may be serving these calls: wait for their answers anyway.
                            interrupted = true;
                        }
                    }
                    if (mine.answers != null) {
                        return mine.answers;
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
        List<CommitCall> calls = new ArrayList<>();
        group.forEach(submission -> calls.addAll(submission.calls));
        List<CommitAnswer> answers = serveSplitIfLarge(calls);
        synchronized (lock) {
            int next = 0;
            for (Submission submission : group) {
                submission.answers = answers.subList(next, next + submission.calls.size());
                next += submission.calls.size();
            }
            serving--;
            lock.notifyAll();
        }
    }

    /**
     * Serves a group of at least {@link #SPLIT_AT_ITEMS} changes as two transactions at once, on
     * this thread and the helper, each with the calls of about half the workspaces: such a group's
     * cost is its rows, which two backends share, while a group of few changes costs mostly its
     * fixed start-up and round trips, which one transaction pays once. Calls of one workspace stay
     * in one part, in their order.
     */
    private List<CommitAnswer> serveSplitIfLarge(List<CommitCall> calls) {
        int changes = 0;
        for (CommitCall call : calls) {
            changes += call.changes().size();
        }
        if (calls.size() < 2 || changes < SPLIT_AT_ITEMS) {
            return serveOne(calls);
        }
        Map<UUID, Boolean> inFirst = new HashMap<>();
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        int firstChanges = 0;
        int secondChanges = 0;
        for (int i = 0; i < calls.size(); i++) {
            CommitCall call = calls.get(i);
            Boolean toFirst = inFirst.get(call.workspaceId());
            if (toFirst == null) {
                toFirst = firstChanges <= secondChanges;
                inFirst.put(call.workspaceId(), toFirst);
            }
            if (toFirst) {
                first.add(i);
                firstChanges += call.changes().size();
            } else {
                second.add(i);
                secondChanges += call.changes().size();
            }
        }
        if (second.isEmpty()) {
            return serveOne(calls);
        }
        CompletableFuture<List<CommitAnswer>> other = CompletableFuture.supplyAsync(() -> serveOne(pick(calls, second)),
                helper);
        List<CommitAnswer> mine = serveOne(pick(calls, first));
        List<CommitAnswer> theirs = other.join();
        CommitAnswer[] answers = new CommitAnswer[calls.size()];
        for (int k = 0; k < first.size(); k++) {
            answers[first.get(k)] = mine.get(k);
        }
        for (int k = 0; k < second.size(); k++) {
            answers[second.get(k)] = theirs.get(k);
        }
        return List.of(answers);
    }

    private static List<CommitCall> pick(List<CommitCall> calls, List<Integer> positions) {
        List<CommitCall> picked = new ArrayList<>(positions.size());
        positions.forEach(i -> picked.add(calls.get(i)));
        return picked;
    }

    /**
     * Serves calls in one transaction; never throws. A failure, an {@link Error} included, is every
     * call's answer: an Error let through would leave the group's other threads waiting for answers
     * and the count of groups being served raised, and two such would stop the lane for good.
     */
    private List<CommitAnswer> serveOne(List<CommitCall> calls) {
        RuntimeException failure;
        try {
            List<CommitAnswer> answers = serve.apply(calls);
            batches.commitGroupServed(calls.size());
            return answers;
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            log.error("serving a group of {} commits failed", calls.size(), e);
            failure = new IllegalStateException("serving the commit group failed: " + e, e);
        }
        List<CommitAnswer> answers = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            answers.add(new CommitAnswer(null, failure));
        }
        return answers;
    }

    /** Whether a waiting thread may serve the waiting commits now. Called holding the lock. */
    private boolean mayStart() {
        return serving < MOST_GROUPS_AT_ONCE;
    }
}
