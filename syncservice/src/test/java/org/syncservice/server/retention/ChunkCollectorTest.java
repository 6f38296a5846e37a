package org.syncservice.server.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.CommitItems.checksum;
import static org.syncservice.server.testing.CommitItems.chunk;
import static org.syncservice.server.testing.CommitItems.deleted;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.next;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.storage.StorageLayout;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.storage.StoredChunk;
import org.syncservice.server.testing.Backdating;
import org.syncservice.server.testing.InMemoryChunkStorage;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/** The chunk collector (docs/retention.md): what leaves storage, when, and what never does. */
class ChunkCollectorTest {
    private static final Duration LONG_AGO = Duration.ofDays(40);

    private static final InMemoryChunkStorage storage = new InMemoryChunkStorage(StorageConfig.Backend.S3);
    private static RunningService service;
    private static SyncFixture fixture;
    private static Backdating backdating;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("retention.pause", "0s", "retention.interval", "1d",
                "retention.batch-size", "3"), config -> storage);
        fixture = new SyncFixture(service);
        backdating = new Backdating(service.database().dataSource());
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        service.close();
    }

    private static Retention retention() {
        return service.service().components().retention(RetentionObserver.NONE);
    }

    private static ChunkCollector.Totals collect(boolean dryRun, List<StoredChunk> listed) {
        return retention().chunks().run(dryRun, (location, chunk) -> listed.add(chunk), pause -> true);
    }

    private static StorageLocation location(SyncDevice device) {
        return new StorageLayout(service.config().storage()).locationFor(device.credentials().workspaceId());
    }

    /** Uploads the chunks (written long ago) and commits a new file made of them. */
    private static Item createWith(SyncDevice device, String name, List<String> chunks) {
        chunks.forEach(c -> storage.put(location(device), c, 10, Instant.now().minus(LONG_AGO)));
        return device.create(newFile(name, name, 10L * chunks.size()).toBuilder().clearChunks()
                .addAllChunks(chunks).build());
    }

    private static Item changeTo(SyncDevice device, Item current, List<String> chunks) {
        chunks.forEach(c -> storage.put(location(device), c, 10, Instant.now().minus(LONG_AGO)));
        CommitItem change = next(current, ItemStatus.ITEM_STATUS_CHANGED).clearChunks().addAllChunks(chunks)
                .setSize(10L * chunks.size()).setChecksum(checksum(UUID.randomUUID().toString())).build();
        return device.commit(change).getResults(0).getCurrent();
    }

    /** The version history and tombstones purged, their chunks now candidates unreferenced for {@code age}. */
    private static void purgeAll(SyncDevice device, Duration age) throws Exception {
        backdating.workspace(device.workspace(), LONG_AGO);
        retention().purge().run(pause -> true);
        backdating.chunkCandidates(age);
    }

    @Test
    void aChunkSharedWithAKeptVersionIsNotRemoved() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        String shared = chunk();
        String onlyOld = chunk();
        String inOtherFile = chunk();
        Item file = createWith(ann, "f", List.of(onlyOld, shared, inOtherFile));
        createWith(ann, "other", List.of(inOtherFile));
        changeTo(ann, file, List.of(shared, chunk()));
        purgeAll(ann, Duration.ofDays(2));

        collect(false, new ArrayList<>());

        StorageLocation here = location(ann);
        assertThat(storage.holds(here, onlyOld)).isFalse();
        assertThat(storage.holds(here, shared)).isTrue();
        assertThat(storage.holds(here, inOtherFile)).isTrue();
        assertThat(backdating.number("SELECT count(*) FROM chunk_garbage WHERE storage_prefix = ?", here.prefix()))
                .as("every candidate decided").isZero();
    }

    @Test
    void anUnreferencedChunkIsRemovedOnlyAfterTheGrace() throws Exception {
        SyncDevice bea = fixture.newUser("Bea");
        String old = chunk();
        Item file = createWith(bea, "f", List.of(old));
        bea.commit(deleted(file));
        purgeAll(bea, Duration.ofHours(23));
        StorageLocation here = location(bea);

        collect(false, new ArrayList<>());
        assertThat(storage.holds(here, old)).as("a candidate for less than retention.chunk-grace").isTrue();

        backdating.chunkCandidates(Duration.ofHours(2));
        ChunkCollector.Totals totals = collect(false, new ArrayList<>());

        assertThat(storage.holds(here, old)).isFalse();
        assertThat(totals.removed()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aChunkUploadedAgainWithinTheGraceStaysForItsCommit() throws Exception {
        SyncDevice cid = fixture.newUser("Cid");
        String again = chunk();
        Item file = createWith(cid, "f", List.of(again));
        cid.commit(deleted(file));
        purgeAll(cid, Duration.ofDays(2));
        StorageLocation here = location(cid);
        // A client uploads the same content again for a commit it has not sent yet.
        storage.put(here, again, 10, Instant.now());

        collect(false, new ArrayList<>());

        assertThat(storage.holds(here, again)).isTrue();
        assertThat(backdating.number("SELECT count(*) FROM chunk_garbage WHERE chunk = ?"
                + " AND unreferenced_since > now() - interval '1 minute'", again))
                .as("looked at again a grace after it was written").isOne();
    }

    @Test
    void aDryRunListsWhatWouldGoAndRemovesNothing() throws Exception {
        SyncDevice dan = fixture.newUser("Dan");
        List<String> chunks = List.of(chunk(), chunk(), chunk(), chunk());
        Item file = createWith(dan, "f", chunks);
        dan.commit(deleted(file));
        purgeAll(dan, Duration.ofDays(2));
        StorageLocation here = location(dan);
        long candidates = backdating.number("SELECT count(*) FROM chunk_garbage");
        int deletions = storage.deletedChunks().size();

        List<StoredChunk> listed = new ArrayList<>();
        ChunkCollector.Totals totals = collect(true, listed);

        assertThat(listed).extracting(StoredChunk::chunk).containsAll(chunks);
        assertThat(totals.bytes()).isGreaterThanOrEqualTo(40);
        assertThat(chunks).allSatisfy(c -> assertThat(storage.holds(here, c)).isTrue());
        assertThat(storage.deletedChunks()).hasSize(deletions);
        assertThat(backdating.number("SELECT count(*) FROM chunk_garbage")).isEqualTo(candidates);
    }
}
