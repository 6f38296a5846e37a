package org.syncservice.server.retention;

import static org.syncservice.server.testing.CommitItems.newFile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncServiceException;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * A benchmark, not a test (it asserts nothing and is skipped unless asked for): the single-item
 * commit rate while the purge works through a million expired tombstones of the very workspace
 * being committed to, against the rate without it, in one run on one machine, phases
 * alternating (without, with, without, ...: {@code retention.bench.phases}, default 5) so that
 * drift shows. Figures are a ratio
 * within one run. Run with
 * {@code ./mvnw -B -q -o -pl syncservice -am test -Dtest=RetentionCommitRateBench -Dretention.bench=true}
 * (options: {@code -Dretention.bench.tombstones=1000000 -Dretention.bench.seconds=20
 * -Dretention.bench.devices=4}); docs/performance.md has the figures.
 */
class RetentionCommitRateBench {

    @Test
    void commitRateWithAndWithoutThePurge() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("retention.bench"), "a benchmark: -Dretention.bench=true");
        long tombstones = Long.getLong("retention.bench.tombstones", 1_000_000);
        Duration phase = Duration.ofSeconds(Long.getLong("retention.bench.seconds", 20));
        int deviceCount = Integer.getInteger("retention.bench.devices", 4);
        int phases = Integer.getInteger("retention.bench.phases", 5);
        try (RunningService service = RunningService.start(Map.of("retention.interval", "1d"));
             SyncFixture fixture = new SyncFixture(service)) {
            SyncDevice first = fixture.newUser("Bench");
            List<SyncDevice> devices = new ArrayList<>(List.of(first));
            while (devices.size() < deviceCount) {
                devices.add(fixture.anotherDevice(first, "device-" + devices.size()));
            }
            long started = System.nanoTime();
            populate(service, first.workspace(), tombstones);
            System.out.printf("populated %d expired tombstones in %.1f s%n", tombstones,
                    (System.nanoTime() - started) / 1e9);

            Retention retention = service.service().components().retention(RetentionObserver.NONE);
            System.out.printf("warm-up: %.1f commits/s%n", commitRate(devices, phase, () -> () -> { }));
            List<String> lines = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            long purgedSoFar = 0;
            for (int round = 0; round < phases; round++) {
                boolean purging = round % 2 == 1;
                AtomicLong purged = new AtomicLong();
                double rate = commitRate(devices, phase, purging ? () -> {
                    AtomicBoolean stop = new AtomicBoolean();
                    Thread purger = new Thread(() -> {
                        while (!stop.get()) {
                            long pass = retention.purge().run(pause -> {
                                try {
                                    Thread.sleep(pause.toMillis());
                                } catch (InterruptedException e) {
                                    return false;
                                }
                                return !stop.get();
                            }).tombstones();
                            purged.addAndGet(pass);
                            if (pass == 0) {
                                sleep(Duration.ofSeconds(1)); // nothing left: as the task waits its interval
                            }
                        }
                    }, "bench-purge");
                    purger.start();
                    return () -> {
                        stop.set(true);
                        purger.join();
                    };
                } : () -> () -> { });
                purgedSoFar += purged.get();
                rates.add(rate);
                lines.add(String.format("phase %d %-13s %7.1f commits/s%s", round + 1,
                        purging ? "with purge" : "without purge", rate,
                        purging ? String.format(", %d tombstones purged (%.0f/s)", purged.get(),
                                purged.get() / (double) phase.toSeconds()) : ""));
            }
            lines.forEach(System.out::println);
            System.out.printf("mean without: %.1f commits/s, with: %.1f commits/s, ratio %.2f%n", mean(rates, false),
                    mean(rates, true), mean(rates, true) / mean(rates, false));
            System.out.println("tombstones purged in all: " + purgedSoFar + " of " + tombstones);
        }
    }

    /** The mean rate of the phases with (odd) or without (even) the purge. */
    private static double mean(List<Double> rates, boolean purging) {
        double sum = 0;
        int n = 0;
        for (int i = purging ? 1 : 0; i < rates.size(); i += 2) {
            sum += rates.get(i);
            n++;
        }
        return sum / n;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface Background {
        Stopper start();
    }

    private interface Stopper {
        void stop() throws Exception;
    }

    /** Commits per second of the devices, each committing one new file at a time, for {@code phase}. */
    private static double commitRate(List<SyncDevice> devices, Duration phase, Background background)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong commits = new AtomicLong();
        AtomicLong retried = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(devices.size());
        Stopper stopper = background.start();
        List<Future<?>> work = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (SyncDevice device : devices) {
                work.add(threads.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        try {
                            device.create(newFile("f", device.deviceId().substring(0, 8) + "-" + System.nanoTime()
                                    + "-" + n++, 1));
                            commits.incrementAndGet();
                        } catch (SyncServiceException e) {
                            if (!e.isRetryable()) {
                                throw e;
                            }
                            retried.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(phase.toMillis());
            running.set(false);
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            running.set(false);
            threads.shutdown();
            stopper.stop();
        }
        if (retried.get() > 0) {
            System.out.println("(" + retried.get() + " commits answered UNAVAILABLE in this phase, not counted)");
        }
        return commits.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Tombstones deleted 40 days ago, one version each, in the workspace, written straight in SQL. */
    private static void populate(RunningService service, String workspaceId, long count) throws Exception {
        try (Connection c = service.database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement items = c.prepareStatement("INSERT INTO items (workspace_id, name, name_key,"
                    + " is_folder, depth, latest_version, status, deleted, change_seq, committed_at)"
                    + " SELECT ?::uuid, 'gone-' || g, 'gone-' || g, false, 0, 1, 'DELETED', true, g,"
                    + " now() - interval '40 days' FROM generate_series(1, ?) g");
                 PreparedStatement versions = c.prepareStatement("INSERT INTO item_versions (item_id, version,"
                         + " workspace_id, name, is_folder, status, change_seq, committed_at)"
                         + " SELECT item_id, 1, workspace_id, name, false, 'DELETED', change_seq, committed_at"
                         + " FROM items WHERE workspace_id = ?::uuid AND deleted");
                 PreparedStatement sequence = c.prepareStatement("UPDATE workspaces"
                         + " SET latest_change_seq = latest_change_seq + ? WHERE workspace_id = ?::uuid")) {
                items.setString(1, workspaceId);
                items.setLong(2, count);
                items.executeUpdate();
                versions.setString(1, workspaceId);
                versions.executeUpdate();
                sequence.setLong(1, count);
                sequence.setString(2, workspaceId);
                sequence.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement analyze = c.createStatement()) {
                analyze.execute("ANALYZE items");
                analyze.execute("ANALYZE item_versions");
            }
        }
    }
}
