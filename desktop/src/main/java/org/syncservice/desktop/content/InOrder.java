package org.syncservice.desktop.content;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs numbered tasks on a pool with at most a given number in flight, and hands their results
 * over in number order on the calling thread; so results held at once never exceed that number.
 * The first failure stops the rest and is thrown as it was.
 *
 * <p>Thread-safety: stateless; each call keeps its own tasks, on a pool that callers may share.
 */
public final class InOrder {

    /** Makes task {@code index}; called on the calling thread, in order. */
    @FunctionalInterface
    public interface Tasks<T> {
        Callable<T> task(int index) throws IOException;
    }

    /** Takes the result of each task in order, on the calling thread. */
    @FunctionalInterface
    public interface Results<T> {
        void accept(T result) throws IOException;
    }

    private InOrder() {
    }

    /**
     * Runs tasks {@code 0..count-1} on {@code pool}, at most {@code inFlight} at once, handing each
     * result to {@code results} in number order on the calling thread.
     *
     * @throws IOException the first failure of a task or of {@code results}, as it was
     */
    public static <T> void run(ExecutorService pool, int inFlight, int count, Tasks<T> tasks, Results<T> results)
            throws IOException {
        Deque<Future<T>> running = new ArrayDeque<>();
        int next = 0;
        try {
            for (int i = 0; i < count; i++) {
                for (; next < count && next < i + inFlight; next++) {
                    running.add(pool.submit(tasks.task(next)));
                }
                results.accept(await(running.remove()));
            }
        } finally {
            running.forEach(task -> task.cancel(true));
        }
    }

    private static <T> T await(Future<T> task) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a transfer");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new InterruptedIOException("a transfer was interrupted");
        }
    }
}
