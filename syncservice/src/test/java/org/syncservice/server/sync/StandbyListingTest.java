package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.server.testing.CommitItems;
import org.syncservice.server.testing.PostgresStandby;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * get_changes served from a streaming-replication standby whose replay is paused and resumed at
 * seeded random moments, while devices of one user commit into one workspace and page through
 * their listings with small pages. Every listing, wherever its pages were read, must hold exactly
 * the changes between its cursor and its answer (so no cursor ever skips a change), and a device's
 * next listing after its own answered commit must hold that commit. Then the standby is stopped:
 * listings go on from the primary.
 *
 * <p>Seed: printed at the start and in a failure; replay with
 * {@code -Dsyncservice.test.standbySeed=<seed>}, run longer with
 * {@code -Dsyncservice.test.standbyRounds=<rounds per device>} (40 by default, about 10 s).
 */
class StandbyListingTest {
    private static final int DEVICES = 3;
    private static final int ROUNDS = Integer.getInteger("syncservice.test.standbyRounds", 40);
    private static final long FULL = -1;

    /** One finished listing: from {@code since} (FULL: from scratch) to {@code reached}, what it listed. */
    private record Listing(String device, long since, long reached, Map<Long, Long> versions) {
    }

    @Test
    void listingsThroughALaggingStandbyNeverSkipAChangeAndAlwaysShowTheDevicesOwnCommit() throws Exception {
        assumeTrue(PostgresStandby.available(), "root and the PostgreSQL 15 binaries are needed for a standby");
        long seed = Long.getLong("syncservice.test.standbySeed", new Random().nextLong());
        System.out.println("StandbyListingTest seed " + seed + " (replay: -Dsyncservice.test.standbySeed=" + seed + ")");
        try (PostgresStandby pair = PostgresStandby.create(false);
             RunningService service = RunningService.start(Map.of("db.url", pair.primary().url(),
                     "db.user", pair.user(), "db.standby-url", pair.standby().url(), "db.connect-timeout", "1s"));
             SyncFixture fixture = new SyncFixture(service)) {
            try {
                run(seed, pair, service, fixture);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + " (replay: -Dsyncservice.test.standbySeed=" + seed + "): "
                        + e.getMessage(), e);
            }
        }
    }

    private static void run(long seed, PostgresStandby pair, RunningService service, SyncFixture fixture)
            throws Exception {
        List<SyncDevice> devices = new ArrayList<>();
        devices.add(fixture.newUser("Standby"));
        for (int i = 1; i < DEVICES; i++) {
            devices.add(fixture.anotherDevice(devices.get(0), "device-" + i));
        }
        List<Listing> listings = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(DEVICES + 1);
        List<DeviceRun> runs = new ArrayList<>();
        try {
            Future<?> lag = threads.submit(() -> lagAtRandom(pair, new Random(seed), stop));
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                DeviceRun run = new DeviceRun("device-" + i, devices.get(i), new Random(seed + 1 + i), listings);
                runs.add(run);
                work.add(threads.submit(() -> {
                    run.rounds(ROUNDS);
                    return null;
                }));
            }
            for (Future<?> done : work) {
                try {
                    done.get(5, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof AssertionError failed) {
                        throw failed;
                    }
                    throw e;
                }
            }
            stop.set(true);
            lag.get(1, TimeUnit.MINUTES);
        } finally {
            stop.set(true);
            threads.shutdownNow();
            pair.resumeReplay();
        }
        StandbyListings.Counts lagging = service.service().components().standbyListings().counts();
        System.out.printf("StandbyListingTest: %d listings; pages from the standby %d, standby behind %d%n",
                listings.size(), lagging.served(), lagging.behind());

        pair.standby().stop();
        for (DeviceRun run : runs) {
            run.commitAndList();
        }

        Map<Long, List<long[]>> history = history(pair.primary().dataSource(), devices.get(0).workspace());
        for (Listing listing : listings) {
            assertThat(listing.versions()).as("%s's listing from %s to %d", listing.device(),
                            listing.since() == FULL ? "scratch" : listing.since(), listing.reached())
                    .isEqualTo(expected(history, listing.since(), listing.reached()));
        }
        // Checked last, so that a listing that went wrong is what a failure reports first.
        assertThat(lagging.served()).as("pages the standby served").isPositive();
        assertThat(lagging.behind()).as("pages the standby was behind for, served by the primary").isPositive();
        assertThat(service.service().components().standbyListings().counts().failed())
                .as("listings tried on the stopped standby").isPositive();
    }

    /** Pauses and resumes the standby's replay at random moments until stopped. */
    private static Void lagAtRandom(PostgresStandby pair, Random random, AtomicBoolean stop) throws Exception {
        boolean paused = false;
        while (!stop.get()) {
            TimeUnit.MILLISECONDS.sleep(20 + random.nextInt(280));
            if (paused) {
                pair.resumeReplay();
            } else {
                pair.pauseReplay();
            }
            paused = !paused;
        }
        return null;
    }

    /** One device: commits changes to files of its own and lists after each. Used by one thread. */
    private static final class DeviceRun {
        private final String name;
        private final SyncDevice device;
        private final Random random;
        private final List<Listing> listings;
        private final Map<Long, Item> live = new HashMap<>();
        private String cursor = "";
        private long since = FULL;
        private int created;

        DeviceRun(String name, SyncDevice device, Random random, List<Listing> listings) {
            this.name = name;
            this.device = device;
            this.random = random;
            this.listings = listings;
        }

        void rounds(int rounds) {
            for (int i = 0; i < rounds; i++) {
                if (random.nextInt(4) == 0) {
                    list();
                } else {
                    commitAndList();
                }
            }
        }

        void commitAndList() {
            Item committed = commit();
            Listing listing = list();
            assertThat(listing.reached()).as("%s's listing after its commit at %d", name, committed.getChangeSeq())
                    .isGreaterThanOrEqualTo(committed.getChangeSeq());
            assertThat(listing.versions()).as("%s's listing after its commit of item %d", name, committed.getItemId())
                    .containsEntry(committed.getItemId(), committed.getVersion());
        }

        private Item commit() {
            int choice = live.isEmpty() ? 0 : random.nextInt(5);
            CommitItem item;
            if (choice <= 2) {
                item = CommitItems.newFile("t", name + "-" + created++ + ".txt", 1 + random.nextInt(1000));
            } else {
                Item current = List.copyOf(live.values()).get(random.nextInt(live.size()));
                item = choice == 3 ? CommitItems.changed(current, 1 + random.nextInt(1000))
                        : CommitItems.deleted(current);
            }
            CommitResponse response = device.commit(item);
            CommitItemResult result = response.getResults(0);
            assertThat(result.getOutcome()).as("%s's commit", name).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
            Item stored = result.getCurrent();
            if (stored.getStatus() == ItemStatus.ITEM_STATUS_DELETED) {
                live.remove(stored.getItemId());
            } else {
                live.put(stored.getItemId(), stored);
            }
            return stored;
        }

        /** Every page from the cursor, each of one to four items. */
        private Listing list() {
            Map<Long, Long> versions = new HashMap<>();
            GetChangesResponse page;
            do {
                page = device.changes(cursor, 1 + random.nextInt(4));
                for (Item item : page.getItemsList()) {
                    assertThat(versions.put(item.getItemId(), item.getVersion()))
                            .as("%s's item %d listed twice in one listing", name, item.getItemId()).isNull();
                }
                cursor = page.getNextCursor();
            } while (page.getHasMore());
            Listing listing = new Listing(name, since, page.getChangeSeq(), versions);
            listings.add(listing);
            since = page.getChangeSeq();
            return listing;
        }
    }

    /** What a listing from {@code since} to {@code reached} holds: each item's version as of {@code reached}. */
    private static Map<Long, Long> expected(Map<Long, List<long[]>> history, long since, long reached) {
        Map<Long, Long> expected = new HashMap<>();
        history.forEach((itemId, versions) -> {
            long[] asOf = null;
            for (long[] version : versions) {
                if (version[1] <= reached) {
                    asOf = version;
                }
            }
            boolean listed = asOf != null && (since == FULL ? asOf[2] == 0 : asOf[1] > since);
            if (listed) {
                expected.put(itemId, asOf[0]);
            }
        });
        return expected;
    }

    /** Each item's versions, oldest first, as (version, change_seq, deleted 0/1), read from the primary. */
    private static Map<Long, List<long[]>> history(DataSource primary, String workspaceId) throws SQLException {
        Map<Long, List<long[]>> history = new HashMap<>();
        try (Connection connection = primary.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT item_id, version, change_seq,"
                     + " status = 'DELETED' FROM item_versions WHERE workspace_id = ? ORDER BY item_id, version")) {
            select.setObject(1, UUID.fromString(workspaceId));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    history.computeIfAbsent(rows.getLong(1), id -> new ArrayList<>())
                            .add(new long[] {rows.getLong(2), rows.getLong(3), rows.getBoolean(4) ? 1 : 0});
                }
            }
        }
        return history;
    }
}
