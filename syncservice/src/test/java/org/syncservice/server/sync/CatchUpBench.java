package org.syncservice.server.sync;

import static org.syncservice.server.testing.CommitItems.newFile;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * A benchmark, not a test (it asserts nothing and is skipped unless asked for): how long a device
 * takes to catch up on N changes after its cursor, through the broker, page after page, for
 * several N in one run, so that the figures show whether the time grows linearly with the changes.
 * Each N gets a workspace of its own: its cursor is taken on the empty workspace, then N new files
 * are committed (in commits of 1,000), then the listing from the cursor is timed three times.
 * Run with {@code ./mvnw -B -q -o -pl syncservice -am test -Dtest=CatchUpBench -Dcatchup.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false} (options: {@code -Dcatchup.bench.changes=10000,100000
 * -Dcatchup.bench.page-size=500 -Dcatchup.bench.analyze=before|after|none}); docs/performance.md has the
 * figures.
 */
class CatchUpBench {
    private static final int ITEMS_PER_COMMIT = 1000;

    private static void analyze(RunningService service) throws Exception {
        try (Connection c = service.database().dataSource().getConnection();
             Statement analyze = c.createStatement()) {
            analyze.execute("ANALYZE items");
        }
    }

    @Test
    void catchUpTimeAgainstTheNumberOfChanges() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("catchup.bench"), "a benchmark: -Dcatchup.bench=true");
        int[] sizes = Arrays.stream(System.getProperty("catchup.bench.changes", "10000,100000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int pageSize = Integer.getInteger("catchup.bench.page-size", 500);
        // When the table's statistics are taken: "before" the changes (what autovacuum leaves right
        // after a burst), "after" them, or "none" (a fresh database's, never analysed).
        String analyze = System.getProperty("catchup.bench.analyze", "after");
        try (RunningService service = RunningService.start(Map.of("retention.interval", "1d"));
             SyncFixture fixture = new SyncFixture(service)) {
            for (int changes : sizes) {
                SyncDevice device = fixture.newUser("CatchUp" + changes);
                String cursor = device.listFrom("", 0).cursor();
                if (analyze.equals("before")) {
                    analyze(service);
                }
                long started = System.nanoTime();
                for (int done = 0; done < changes; done += ITEMS_PER_COMMIT) {
                    List<CommitItem> items = new ArrayList<>(ITEMS_PER_COMMIT);
                    for (int i = done; i < Math.min(changes, done + ITEMS_PER_COMMIT); i++) {
                        items.add(newFile("t" + i, "file-" + i + ".bin", 1));
                    }
                    device.commit(items);
                }
                System.out.printf("%d changes committed in %.1f s%n", changes, (System.nanoTime() - started) / 1e9);
                if (analyze.equals("after")) {
                    analyze(service);
                }
                double[] seconds = new double[3];
                for (int run = 0; run < seconds.length; run++) {
                    long listing = System.nanoTime();
                    SyncDevice.Listing caughtUp = device.listFrom(cursor, pageSize);
                    seconds[run] = (System.nanoTime() - listing) / 1e9;
                    if (caughtUp.items().size() != changes) {
                        throw new AssertionError("listed " + caughtUp.items().size() + " of " + changes);
                    }
                }
                Arrays.sort(seconds);
                System.out.printf("catch-up of %d changes, pages of %d: %.2f s (median of 3; %.2f, %.2f, %.2f),"
                                + " %.1f us a change%n", changes, pageSize, seconds[1], seconds[0], seconds[1],
                        seconds[2], seconds[1] * 1e6 / changes);
            }
        }
    }
}
