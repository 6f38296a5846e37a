package org.syncservice.server.retention;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.syncservice.server.core.Lifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs retention in the background on one thread of its own: a pass of the metadata purge, then
 * a pass of the chunk collector, then a wait of {@code retention.interval}; batches inside a pass
 * are separated by {@code retention.pause}. Every instance runs one; they share the work safely
 * (see {@link RetentionStore}). A failed pass (database or storage away) is logged once and
 * retried after the interval, at most {@link #MAX_RETRY_DELAY}.
 *
 * <p>Thread-safety: {@link #isHealthy()} may be called from any thread; {@link #start()} and
 * {@link #close()} by one owner.
 */
public final class RetentionTask implements Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(RetentionTask.class);
    static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);
    /** How long {@link #close()} waits for the batch in progress. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Retention retention;
    private final Duration interval;
    private final String name;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean lastPassFailed;
    private Thread thread;

    public RetentionTask(Retention retention, Duration interval, String name) {
        this.retention = retention;
        this.interval = interval;
        this.name = name;
    }

    @Override
    public synchronized void start() {
        if (thread != null || stopping.getCount() == 0) {
            throw new IllegalStateException("a retention task starts once");
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        // Below the request threads: purging is never more urgent than serving.
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    @Override
    public boolean isHealthy() {
        Thread current = thread;
        return current != null && current.isAlive() && !lastPassFailed;
    }

    /** Stops after the batch in progress (each batch is its own transaction: nothing is left half done). */
    @Override
    public synchronized void close() {
        if (thread == null) {
            return;
        }
        stopping.countDown();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void run() {
        Pause pause = this::await;
        while (stopping.getCount() > 0) {
            Duration next = interval;
            try {
                MetadataPurge.Totals purged = retention.purge().run(pause);
                ChunkCollector.Totals collected = stopping.getCount() > 0
                        ? retention.chunks().run(false, ChunkCollector.Listener.NONE, pause)
                        : new ChunkCollector.Totals(0, 0, 0, 0);
                if (!purged.isEmpty() || collected.removed() > 0) {
                    log.info("{}: purged {} tombstones, {} old versions, {} stored answers; removed {} chunks ({} bytes)",
                            name, purged.tombstones(), purged.versions(), purged.storedAnswers(), collected.removed(),
                            collected.bytes());
                }
                if (lastPassFailed) {
                    lastPassFailed = false;
                    log.info("{}: purging again", name);
                }
            } catch (RuntimeException | Error e) {
                if (!lastPassFailed) {
                    lastPassFailed = true;
                    log.warn("{}: a retention pass failed ({}); retrying later", name, e.toString());
                } else {
                    log.debug("{}: retention still fails: {}", name, e.toString());
                }
                next = interval.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : interval;
            }
            await(next);
        }
    }

    /** Waits, cut short by {@link #close()}; false once closing. */
    private boolean await(Duration duration) {
        try {
            return !stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
