package org.syncservice.desktop.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.syncservice.desktop.content.InOrder;

/**
 * Uploads or downloads the content of several files at once. A small file is one chunk, so moving
 * files one after the other leaves the transfer's connections idle while each file waits for its
 * own round trips (to the service, and the storage's first byte); with a few files at once those
 * overlap the other files' transfers. The chunk transfer still bounds the requests in flight.
 *
 * <p>Thread-safety: one call at a time (the engine thread); each call has its own threads, which it
 * stops before it returns.
 */
final class ParallelTransfers {

    /** Uploads one operation's content; false when it cannot be committed yet (being edited). */
    @FunctionalInterface
    interface Upload<T> {
        boolean upload(T op) throws IOException;
    }

    private final int atOnce;

    ParallelTransfers(int atOnce) {
        if (atOnce < 1) {
            throw new IllegalArgumentException("atOnce must be at least 1, not " + atOnce);
        }
        this.atOnce = atOnce;
    }

    /**
     * Uploads what {@code ops} need; returns, in their order, the operations that are ready to
     * commit, up to the first one not started because the engine is stopping. The first failure
     * stops the rest and is thrown as it was.
     */
    <T> List<T> run(List<T> ops, Upload<T> upload, BooleanSupplier stopping) throws IOException {
        if (atOnce == 1 || ops.size() < 2) {
            return sequentially(ops, upload, stopping);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(atOnce, ops.size()), threads());
        try {
            List<T> ready = new ArrayList<>();
            int[] index = {0};
            boolean[] stopped = {false};
            InOrder.run(pool, atOnce, ops.size(), i -> () -> stopping.getAsBoolean() ? Outcome.NOT_STARTED
                    : upload.upload(ops.get(i)) ? Outcome.READY : Outcome.NOT_READY, outcome -> {
                        stopped[0] |= outcome == Outcome.NOT_STARTED;
                        if (!stopped[0] && outcome == Outcome.READY) {
                            ready.add(ops.get(index[0]));
                        }
                        index[0]++;
                    });
            return ready;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> List<T> sequentially(List<T> ops, Upload<T> upload, BooleanSupplier stopping)
            throws IOException {
        List<T> ready = new ArrayList<>();
        for (T op : ops) {
            if (stopping.getAsBoolean()) {
                break;
            }
            if (upload.upload(op)) {
                ready.add(op);
            }
        }
        return ready;
    }

    private enum Outcome { READY, NOT_READY, NOT_STARTED }

    private static java.util.concurrent.ThreadFactory threads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "syncservice-desktop-upload-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
