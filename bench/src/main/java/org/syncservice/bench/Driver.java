package org.syncservice.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.syncservice.client.SyncServiceException;

/**
 * Runs workers for a warm-up and a measured period, closed loop (each worker sends its next
 * request when the previous is answered: the service's maximum throughput) or open loop (requests
 * start at a fixed rate whatever the answers' speed, and latency counts from when a request was
 * due, so a slow answer cannot hide the requests queued behind it).
 */
final class Driver {
    private final Recorder latencies = new Recorder(3);
    private final Tally outcomes = new Tally();
    private final Tally errors = new Tally();
    private final LongAdder operations = new LongAdder();
    private final Tally discarded = new Tally();

    record Result(Histogram latencyMicros, long operations, double seconds, java.util.Map<String, Long> outcomes,
                  java.util.Map<String, Long> errors) {
    }

    Result closedLoop(Workload.Worker[] workers, long warmupNanos, long durationNanos) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + durationNanos;
        ExecutorService pool = Executors.newFixedThreadPool(workers.length);
        for (Workload.Worker worker : workers) {
            pool.execute(() -> {
                while (System.nanoTime() < end) {
                    long begun = System.nanoTime();
                    run(worker, begun, begun >= measureFrom);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(durationNanos + warmupNanos + TimeUnit.MINUTES.toNanos(2), TimeUnit.NANOSECONDS);
        return result(end - measureFrom);
    }

    Result openLoop(Workload.Worker[] workers, double rate, long warmupNanos, long durationNanos)
            throws InterruptedException {
        BlockingQueue<Workload.Worker> idle = new ArrayBlockingQueue<>(workers.length);
        for (Workload.Worker worker : workers) {
            idle.add(worker);
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers.length);
        long interval = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + durationNanos;
        for (long due = start; due < end; due += interval) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long intended = due;
            pool.execute(() -> {
                Workload.Worker worker;
                try {
                    worker = idle.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    run(worker, intended, intended >= measureFrom);
                } finally {
                    idle.add(worker);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);
        return result(end - measureFrom);
    }

    private void run(Workload.Worker worker, long dueAt, boolean measured) {
        try {
            worker.runOnce(measured ? outcomes : discarded);
        } catch (SyncServiceException e) {
            if (measured) {
                errors.add(e.code().name().replace("ERROR_CODE_", "") + (e.isLocal() ? " (local)" : ""), 1);
            }
        }
        if (measured) {
            latencies.recordValue(Math.max(1, (System.nanoTime() - dueAt) / 1000));
            operations.increment();
        }
    }

    private Result result(long measuredNanos) {
        return new Result(latencies.getIntervalHistogram(), operations.sum(), measuredNanos / 1e9,
                outcomes.snapshot(), errors.snapshot());
    }
}
