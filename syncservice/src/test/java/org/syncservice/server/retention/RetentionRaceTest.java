package org.syncservice.server.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.CommitItems.checksum;
import static org.syncservice.server.testing.CommitItems.chunk;
import static org.syncservice.server.testing.CommitItems.deleted;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.next;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.protocol.v1.RestoreVersionRequest;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.storage.StorageLayout;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.testing.InMemoryChunkStorage;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * Commits racing the purge (two purgers, as two instances run it) and the chunk collector, with
 * retention short enough that all three meet: devices create, change, delete and restore files,
 * re-using chunks of versions that may have been purged (uploading them again first, as clients
 * do; a restore uploads nothing). At the end no kept version references a chunk missing from
 * storage, and every item a device holds live is live at the version it holds.
 *
 * <p>Seeded: a failure prints the seed; replay with {@code -Dretention.race.seed=N}. Runs
 * {@code retention.race.seconds} (default 6); a long run:
 * {@code ./mvnw -B -q -o -pl syncservice -am test -Dtest=RetentionRaceTest -Dretention.race.seconds=300}.
 */
class RetentionRaceTest {
    private static final Duration GRACE = Duration.ofSeconds(2);

    @Test
    void commitsRacingThePurgeAndTheCollectorNeverLoseAReferencedChunkNorALiveItem() throws Exception {
        long seed = Long.getLong("retention.race.seed", System.nanoTime());
        long seconds = Long.getLong("retention.race.seconds", 6);
        try {
            race(seed, Duration.ofSeconds(seconds));
        } catch (AssertionError | Exception e) {
            throw new AssertionError("retention race failed with seed " + seed + " (replay: -Dretention.race.seed="
                    + seed + "): " + e.getMessage(), e);
        }
    }

    private void race(long seed, Duration length) throws Exception {
        InMemoryChunkStorage storage = new InMemoryChunkStorage(StorageConfig.Backend.S3);
        try (RunningService service = RunningService.start(Map.of("retention.deleted-items", "1s",
                "retention.old-versions", "1s", "retention.chunk-grace", GRACE.toSeconds() + "s",
                "retention.batch-size", "5", "retention.pause", "0s", "retention.interval", "1d"), config -> storage);
             SyncFixture fixture = new SyncFixture(service)) {
            SyncDevice first = fixture.newUser("Racer");
            List<SyncDevice> devices = List.of(first, fixture.anotherDevice(first, "desktop"));
            StorageLocation location = new StorageLayout(service.config().storage())
                    .locationFor(first.credentials().workspaceId());
            List<String> everCommitted = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService threads = Executors.newFixedThreadPool(devices.size() + 3);
            List<Map<Long, Item>> live = new ArrayList<>();
            List<Future<?>> work = new ArrayList<>();
            try {
                for (int d = 0; d < devices.size(); d++) {
                    Map<Long, Item> held = new ConcurrentHashMap<>();
                    live.add(held);
                    Client client = new Client(devices.get(d), storage, location, new Random(seed + d), everCommitted,
                            held);
                    work.add(threads.submit(() -> {
                        while (running.get()) {
                            client.step();
                        }
                        return null;
                    }));
                }
                for (int p = 0; p < 2; p++) {
                    Retention retention = service.service().components().retention(RetentionObserver.NONE);
                    work.add(threads.submit(() -> {
                        while (running.get()) {
                            retention.purge().run(pause -> running.get());
                        }
                        return null;
                    }));
                }
                Retention collector = service.service().components().retention(RetentionObserver.NONE);
                work.add(threads.submit(() -> {
                    while (running.get()) {
                        collector.chunks().run(false, ChunkCollector.Listener.NONE, pause -> running.get());
                        // Rarely, as retention.interval has it: due candidates pile up meanwhile,
                        // and devices upload some of them again for their next commits.
                        Thread.sleep(1_000);
                    }
                    return null;
                }));
                Thread.sleep(length.toMillis());
            } finally {
                running.set(false);
                threads.shutdown();
            }
            for (Future<?> done : work) {
                done.get();
            }
            // After the dust settles: once more each, now that every candidate may be due.
            Thread.sleep(GRACE.toMillis() + 100);
            Retention retention = service.service().components().retention(RetentionObserver.NONE);
            retention.purge().run(pause -> true);
            retention.chunks().run(false, ChunkCollector.Listener.NONE, pause -> true);

            assertThat(everCommitted).as("the race did commit").isNotEmpty();
            assertKeptVersionsFindTheirChunks(service, storage, location);
            assertHeldItemsAreLive(service, live);
        }
    }

    private static void assertKeptVersionsFindTheirChunks(RunningService service, InMemoryChunkStorage storage,
                                                          StorageLocation location) throws Exception {
        List<String> missing = new ArrayList<>();
        try (Connection c = service.database().dataSource().getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT item_id, version, unnest(chunks) FROM item_versions");
             ResultSet r = select.executeQuery()) {
            while (r.next()) {
                if (!storage.holds(location, r.getString(3))) {
                    missing.add("item " + r.getLong(1) + " v" + r.getLong(2) + ": " + r.getString(3));
                }
            }
        }
        assertThat(missing).as("chunks of kept versions missing from storage").isEmpty();
    }

    private static void assertHeldItemsAreLive(RunningService service, List<Map<Long, Item>> live) throws Exception {
        Map<Long, Long> stored = new HashMap<>();
        try (Connection c = service.database().dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT item_id, latest_version FROM items WHERE NOT deleted");
             ResultSet r = select.executeQuery()) {
            while (r.next()) {
                stored.put(r.getLong(1), r.getLong(2));
            }
        }
        Map<Long, Long> held = new HashMap<>();
        live.forEach(items -> items.values().forEach(item -> held.put(item.getItemId(), item.getVersion())));
        assertThat(stored).as("live items: as the devices hold them").isEqualTo(held);
    }

    /** One device's random work on the items it created itself (so devices never conflict). */
    private static final class Client {
        private final SyncDevice device;
        private final InMemoryChunkStorage storage;
        private final StorageLocation location;
        private final Random random;
        private final List<String> everCommitted;
        private final Map<Long, Item> live;
        private int names;

        Client(SyncDevice device, InMemoryChunkStorage storage, StorageLocation location, Random random,
               List<String> everCommitted, Map<Long, Item> live) {
            this.device = device;
            this.storage = storage;
            this.location = location;
            this.random = random;
            this.everCommitted = everCommitted;
            this.live = live;
        }

        void step() {
            int dice = random.nextInt(10);
            List<Long> ids = new ArrayList<>(live.keySet());
            ids.sort(null);
            if (ids.isEmpty() || dice < 3) {
                CommitItem file = newFile("t", device.deviceId().substring(0, 8) + "-" + names++, 1).toBuilder()
                        .clearChunks().addAllChunks(uploadedChunks()).build();
                hold(device.commit(file).getResults(0));
                return;
            }
            Item item = live.get(ids.get(random.nextInt(ids.size())));
            if (dice < 7) {
                hold(device.commit(next(item, ItemStatus.ITEM_STATUS_CHANGED).clearChunks()
                        .addAllChunks(uploadedChunks()).setChecksum(checksum(UUID.randomUUID().toString()))
                        .build()).getResults(0));
            } else if (dice < 8) {
                CommitItemResult result = device.commit(deleted(item)).getResults(0);
                assertThat(result.getOutcome()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
                live.remove(item.getItemId());
            } else if (item.getVersion() > 1) {
                restore(item, 1 + random.nextInt((int) item.getVersion() - 1));
            }
        }

        /** One to three chunks, new or of earlier versions (perhaps purged), uploaded again just now. */
        private List<String> uploadedChunks() {
            List<String> chunks = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                // Mostly the oldest chunks: the likeliest to have lost every reference by now.
                String name = everCommitted.isEmpty() || random.nextInt(3) == 0 ? chunk()
                        : everCommitted.get(random.nextInt(1 + everCommitted.size() / 4));
                if (!chunks.contains(name)) {
                    chunks.add(name);
                }
            }
            chunks.forEach(c -> storage.put(location, c, 1, Instant.now()));
            // Uploads take time: the commit follows them after a while, well within the grace.
            try {
                Thread.sleep(random.nextInt(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return chunks;
        }

        private void restore(Item item, long version) {
            try {
                hold(device.client().restoreVersion(RestoreVersionRequest.newBuilder()
                        .setWorkspaceId(device.workspace()).setItemId(item.getItemId()).setVersion(version)
                        .setLatestVersion(item.getVersion()).build()).getResult());
            } catch (SyncServiceException e) {
                // The version was purged meanwhile: what clients see after the retention.
                assertThat(e.code()).as(e.toString()).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
            }
        }

        private void hold(CommitItemResult result) {
            assertThat(result.getOutcome()).as(result.toString()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
            live.put(result.getCurrent().getItemId(), result.getCurrent());
            everCommitted.addAll(result.getCurrent().getChunksList());
        }
    }
}
