package org.syncservice.bench;

import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.apache.commons.cli.ParseException;
import org.syncservice.server.config.ConfigLoader;
import org.syncservice.server.config.ServiceConfig;

/**
 * {@code java -jar syncservice-bench.jar --config FILE [options]}: creates users and devices on a
 * running service, drives a workload through the client SDK (client -> RabbitMQ -> service ->
 * PostgreSQL -> reply) and prints throughput, latency percentiles, outcomes and errors.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        // Before any logger exists: the benchmark's output is its report, not the libraries' chatter.
        System.setProperty("logback.configurationFile", "logback-bench.xml");
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (ParseException | IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(BenchOptions.usage());
            System.exit(2);
            return;
        }
        ServiceConfig config = ConfigLoader.load(options.config());
        System.out.printf(Locale.ROOT, "setting up %d users x %d committing + %d listening devices...%n",
                options.users(), options.devicesPerUser(), options.listenersPerUser());
        try (Fleet fleet = Fleet.create(config, options);
             NotificationLatency notifications = NotificationLatency.start(fleet.listeners(), fleet.clientOptions())) {
            Workload workload = Workload.of(options.workload(), fleet.committers(), options);
            Workload.Worker[] workers = new Workload.Worker[options.concurrency()];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = workload.worker(i);
            }
            Driver driver = new Driver();
            long warmup = options.warmup().toNanos();
            long duration = options.duration().toNanos();
            java.util.concurrent.ScheduledExecutorService timer =
                    java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            timer.schedule(notifications::reset, warmup, java.util.concurrent.TimeUnit.NANOSECONDS);
            timer.schedule(() -> Analyzer.analyze(config), warmup / 2, java.util.concurrent.TimeUnit.NANOSECONDS);
            Driver.Result result = options.openLoop()
                    ? driver.openLoop(workers, options.rate(), warmup, duration)
                    : driver.closedLoop(workers, warmup, duration);
            // Let the notifications of the last commits arrive before reading their latencies.
            Thread.sleep(1000);
            timer.shutdown();
            print(options, result, notifications.sinceReset());
        }
        System.exit(0);
    }

    private static void print(BenchOptions options, Driver.Result result, Histogram notified) {
        Histogram latency = result.latencyMicros();
        System.out.printf(Locale.ROOT, "workload %s, %s, %d workers, %d users, %.0f s measured after %d s warm-up%n",
                options.workload().name().toLowerCase(Locale.ROOT),
                options.openLoop() ? "open loop at " + options.rate() + "/s" : "closed loop",
                options.concurrency(), options.users(), result.seconds(), options.warmup().toSeconds());
        System.out.printf(Locale.ROOT, "requests: %d (%.1f/s)%n", result.operations(),
                result.operations() / result.seconds());
        long committed = result.outcomes().getOrDefault("COMMITTED", 0L);
        if (committed > 0) {
            System.out.printf(Locale.ROOT, "items committed: %d (%.1f/s)%n", committed, committed / result.seconds());
        }
        System.out.printf(Locale.ROOT, "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                ms(latency, 50), ms(latency, 90), ms(latency, 99), ms(latency, 99.9), latency.getMaxValue() / 1000.0);
        if (notified.getTotalCount() > 0) {
            System.out.printf(Locale.ROOT, "commit-to-notification ms (%d deliveries): p50 %d  p99 %d  p99.9 %d  max %d%n",
                    notified.getTotalCount(), notified.getValueAtPercentile(50), notified.getValueAtPercentile(99),
                    notified.getValueAtPercentile(99.9), notified.getMaxValue());
        }
        System.out.println("outcomes: " + describe(result.outcomes()));
        System.out.println("errors: " + describe(result.errors()));
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private static String describe(Map<String, Long> counts) {
        return counts.isEmpty() ? "none" : counts.toString();
    }
}
