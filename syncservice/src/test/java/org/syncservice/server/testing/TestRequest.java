package org.syncservice.server.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.syncservice.server.rpc.IncomingRequest;
import org.syncservice.server.rpc.RpcOutcome;

/** A request handed to the processor as a transport would, remembering its answer; answered once only. */
public final class TestRequest implements IncomingRequest {
    private final byte[] body;
    private final String publisher;
    private final CompletableFuture<RpcOutcome> answer = new CompletableFuture<>();

    public TestRequest(byte[] body, String publisher) {
        this.body = body;
        this.publisher = publisher;
    }

    public TestRequest(byte[] body) {
        this(body, null);
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public String publisher() {
        return publisher;
    }

    @Override
    public void answer(RpcOutcome outcome) {
        if (!answer.complete(outcome)) {
            throw new IllegalStateException("answered twice");
        }
    }

    public boolean answered() {
        return answer.isDone();
    }

    /** The answer, waiting for it at most {@code timeout}. */
    public RpcOutcome outcome(Duration timeout) {
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within " + timeout, e);
        }
    }

    /** The answer, which must be there already. */
    public RpcOutcome outcome() {
        return answer.getNow(null);
    }

    /** An executor that only keeps what it is given, until {@link #runAll}. */
    public static final class HeldTasks implements Executor {
        private final List<Runnable> held = new ArrayList<>();

        @Override
        public synchronized void execute(Runnable task) {
            held.add(task);
        }

        public synchronized int size() {
            return held.size();
        }

        public void runAll() {
            List<Runnable> tasks;
            synchronized (this) {
                tasks = new ArrayList<>(held);
                held.clear();
            }
            tasks.forEach(Runnable::run);
        }
    }
}
