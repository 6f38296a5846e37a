package org.syncservice.server.rpc.handlers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.syncservice.server.core.BatchObserver;
import org.syncservice.server.sync.CommitAnswer;
import org.syncservice.server.sync.CommitCall;

/**
 * Merges the commits that consumer threads hand in at the same time into groups, served by those
 * threads: a group commit across the instance's consumers. At most two groups are served at once
 * (two database backends, so both cores of a small machine, and one group can use the CPU while
 * the other waits for a round trip or its WAL flush); what arrives while both run waits and forms
 * the next, larger group. The thread that serves a group is one whose commits are in it; when it
 * is done, a waiting thread serves the next group, so no thread serves a group after its own is
 * answered. With one consumer (the default) the lane only ever sees one thread; with more, each
 * serves its own channel's commits at once, up to two groups.
 */
final class CommitLane {
    /** With several consumers; measured on two cores with four round trips per group: one group at a time 878 commits/s, two 1,336/s. */
    static final int MOST_GROUPS_AT_ONCE = 2;

    private final Function<List<CommitCall>, List<CommitAnswer>> serve;
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
        List<CommitAnswer> answers;
        try {
            answers = serve.apply(calls);
            batches.commitGroupServed(calls.size());
        } catch (RuntimeException e) {
            answers = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                answers.add(new CommitAnswer(null, e));
            }
        }
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

    /** Whether a waiting thread may serve the waiting commits now. Called holding the lock. */
    private boolean mayStart() {
        return serving < MOST_GROUPS_AT_ONCE;
    }
}
