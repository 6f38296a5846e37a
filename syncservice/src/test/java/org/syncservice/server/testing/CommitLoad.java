package org.syncservice.server.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ErrorCode;

/**
 * A steady stream of commits into one workspace from several clients, each commit a new file with
 * a name of its own, retried with the same request id on every retryable failure (UNAVAILABLE,
 * RESOURCE_EXHAUSTED, a local timeout) as a client must. Records every answer and every failure
 * it saw, for the fault tests to compare with what PostgreSQL holds. Thread-safe.
 */
public final class CommitLoad implements AutoCloseable {
    /** One commit the service answered COMMITTED. */
    public record Answer(String requestId, String name, long size, long changeSeq, long itemId) {
    }

    private final String workspaceId;
    private final Duration retryFor;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> sent = new ConcurrentHashMap<>();
    private final Map<ErrorCode, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> workers = new ArrayList<>();
    /** Per worker, System.nanoTime() of each answer, in order. */
    private final List<java.util.Queue<Long>> answeredAt = new ArrayList<>();

    /** Starts one worker per client; the clients are the caller's (logged in, same user). */
    public CommitLoad(String workspaceId, List<SyncClient> clients, Duration retryFor) {
        this.workspaceId = workspaceId;
        this.retryFor = retryFor;
        for (int w = 0; w < clients.size(); w++) {
            answeredAt.add(new java.util.concurrent.ConcurrentLinkedQueue<>());
        }
        for (int w = 0; w < clients.size(); w++) {
            SyncClient client = clients.get(w);
            int worker = w;
            Thread thread = new Thread(() -> run(client, worker), "commit-load-" + w);
            thread.setDaemon(true);
            workers.add(thread);
            thread.start();
        }
    }

    private void run(SyncClient client, int worker) {
        try {
            for (int i = 0; !stopping.get(); i++) {
                String name = "w" + worker + "-" + i + ".txt";
                long size = 1 + (i * 37L + worker) % 1000;
                String requestId = SyncClient.newRequestId();
                sent.put(requestId, true);
                CommitItem item = CommitItem.newBuilder().setTempId("t").setVersion(1)
                        .setStatus(org.syncservice.protocol.v1.ItemStatus.ITEM_STATUS_NEW).setName(name)
                        .setMimeType("text/plain").setSize(size).setChecksum(CommitItems.checksum(name))
                        .addChunks("c_" + UUID.randomUUID().toString().replace("-", "")).build();
                CommitResponse response = commitWithRetries(client, CommitRequest.newBuilder()
                        .setWorkspaceId(workspaceId).addItems(item).build(), requestId);
                CommitItemResult result = response.getResults(0);
                if (result.getOutcome() != CommitOutcome.COMMIT_OUTCOME_COMMITTED) {
                    throw new AssertionError("commit " + requestId + " of " + name + " answered " + result);
                }
                answers.put(requestId, new Answer(requestId, name, size, response.getChangeSeq(),
                        result.getCurrent().getItemId()));
                answeredAt.get(worker).add(System.nanoTime());
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private CommitResponse commitWithRetries(SyncClient client, CommitRequest request, String requestId)
            throws InterruptedException {
        long deadline = System.nanoTime() + retryFor.toNanos();
        while (true) {
            try {
                return client.commit(request, requestId);
            } catch (SyncServiceException e) {
                failures.computeIfAbsent(e.code(), c -> new AtomicInteger()).incrementAndGet();
                if (!e.isRetryable() || System.nanoTime() > deadline) {
                    throw e;
                }
                retries.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(e.retryAfter().map(Duration::toMillis).orElse(200L));
            }
        }
    }

    /** Waits until {@code more} commits beyond those answered now are answered. */
    public void awaitMoreAnswers(int more, Duration patience) throws InterruptedException {
        int target = answers.size() + more;
        long deadline = System.nanoTime() + patience.toNanos();
        while (answers.size() < target) {
            if (failure.get() != null) {
                throw new AssertionError("the load failed", failure.get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + answers.size() + " of " + target + " commits answered in "
                        + patience);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Stops after the commits in progress are answered; rethrows what a worker failed with. */
    @Override
    public void close() throws InterruptedException {
        stopping.set(true);
        for (Thread worker : workers) {
            worker.join(retryFor.toMillis() + 10_000);
        }
        if (failure.get() != null) {
            throw new AssertionError("the load failed", failure.get());
        }
    }

    /**
     * How long after {@code sinceNanos} (a System.nanoTime()) client {@code worker} (its index in the
     * list given) had its next answer; empty if it had none since.
     */
    public java.util.Optional<Duration> nextAnswerAfter(int worker, long sinceNanos) {
        return answeredAt.get(worker).stream().filter(at -> at > sinceNanos).findFirst()
                .map(at -> Duration.ofNanos(at - sinceNanos));
    }

    /**
     * The longest time client {@code worker} went without an answer from {@code fromNanos} until its
     * first answer after {@code untilNanos} (both System.nanoTime()); empty if it had none after that.
     */
    public java.util.Optional<Duration> longestPause(int worker, long fromNanos, long untilNanos) {
        long previous = fromNanos;
        long longest = 0;
        for (long at : answeredAt.get(worker)) {
            if (at <= fromNanos) {
                continue;
            }
            longest = Math.max(longest, at - previous);
            previous = at;
            if (at > untilNanos) {
                return java.util.Optional.of(Duration.ofNanos(longest));
            }
        }
        return java.util.Optional.empty();
    }

    /** Waits until every client has had an answer after {@code sinceNanos}. */
    public void awaitEveryClientAnsweredAfter(long sinceNanos, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        for (int w = 0; w < answeredAt.size(); w++) {
            while (nextAnswerAfter(w, sinceNanos).isEmpty()) {
                if (failure.get() != null) {
                    throw new AssertionError("the load failed", failure.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("client " + w + " had no answer within " + patience);
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    public Map<String, Answer> answers() {
        return Map.copyOf(answers);
    }

    /** Every request id sent (each retried until answered, or the load failed). */
    public java.util.Set<String> sent() {
        return java.util.Set.copyOf(sent.keySet());
    }

    /** How many times each error code was seen (each followed by a retry with the same id). */
    public Map<ErrorCode, Integer> failures() {
        Map<ErrorCode, Integer> counts = new java.util.TreeMap<>();
        failures.forEach((code, count) -> counts.put(code, count.get()));
        return counts;
    }

    public int retries() {
        return retries.get();
    }
}
