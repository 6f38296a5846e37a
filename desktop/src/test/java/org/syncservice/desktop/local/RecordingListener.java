package org.syncservice.desktop.local;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Records what a {@link FolderWatcher} reports, and waits (generously) for a report to arrive. */
final class RecordingListener implements ChangeListener {

    /** Long enough for a loaded machine; a test only waits this long when it is about to fail. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    record Report(Set<String> paths, boolean overflow) {
    }

    private final List<Report> reports = new CopyOnWriteArrayList<>();

    @Override
    public void onChange(Set<String> changedPaths, boolean overflow) {
        reports.add(new Report(changedPaths, overflow));
    }

    List<Report> reports() {
        return List.copyOf(reports);
    }

    /** Waits for a report that names the path. */
    void awaitPath(String path) {
        awaitReport(report -> report.paths().contains(path), "a report of " + path);
    }

    void awaitOverflow() {
        awaitReport(Report::overflow, "an overflow report");
    }

    void awaitReport(Predicate<Report> wanted, String what) {
        await(() -> reports.stream().anyMatch(wanted), what);
    }

    boolean anyReportNames(String path) {
        return reports.stream().anyMatch(report -> report.paths().contains(path));
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("waited " + PATIENCE.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }
}
