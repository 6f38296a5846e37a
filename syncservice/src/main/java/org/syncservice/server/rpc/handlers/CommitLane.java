package org.syncservice.server.rpc.handlers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.syncservice.server.sync.CommitAnswer;
import org.syncservice.server.sync.CommitCall;

/**
 * Merges the commits that consumer threads hand in at the same time into one group, served by one
 * of those threads while the others wait: a group commit across the instance's consumers. One
 * group is served at a time, and everything that arrives meanwhile forms the next, larger group;
 * only when the waiting commits hold {@link #LARGE_GROUP_ITEMS} items or more, which gain nothing
 * from waiting, does a second group start beside the first (on another database backend, so on
 * another core). The thread that serves a group is one whose commits are in it; when it is done,
 * another waiting thread serves the next group, so no thread serves a group after its own is
 * answered.
 *
 * <p>Thread-safety: {@link #submit} may be called from any number of threads.
 */
final class CommitLane {
    /** Waiting items from which a group is worth a transaction of its own at once. */
    static final int LARGE_GROUP_ITEMS = 64;
    private static final int MOST_GROUPS_AT_ONCE = 2;

    private final Function<List<CommitCall>, List<CommitAnswer>> serve;
    private final Object lock = new Object();
    private List<Submission> waiting = new ArrayList<>();
    private int waitingItems;
    private int serving;

    /** Calls handed in by one thread, and their answers once served. */
    private static final class Submission {
        final List<CommitCall> calls;
        List<CommitAnswer> answers;

        Submission(List<CommitCall> calls) {
            this.calls = calls;
        }
    }

    /** @param serve serves one group; returns one answer per call, in order, and never throws */
    CommitLane(Function<List<CommitCall>, List<CommitAnswer>> serve) {
        this.serve = serve;
    }

    /** Serves the calls, together with whatever other threads hand in at the same time. */
    List<CommitAnswer> submit(List<CommitCall> calls) {
        Submission mine = new Submission(calls);
        boolean interrupted = false;
        try {
            synchronized (lock) {
                waiting.add(mine);
                waitingItems += items(calls);
            }
            while (true) {
                List<Submission> group;
                synchronized (lock) {
                    while (mine.answers == null && !mayStart()) {
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
                    waitingItems = 0;
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
        return serving == 0 || (serving < MOST_GROUPS_AT_ONCE && waitingItems >= LARGE_GROUP_ITEMS);
    }

    private static int items(List<CommitCall> calls) {
        int items = 0;
        for (CommitCall call : calls) {
            items += call.changes().size();
        }
        return items;
    }
}
