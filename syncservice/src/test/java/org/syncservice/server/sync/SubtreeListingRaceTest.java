package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.core.Principal;
import org.syncservice.server.testing.RandomTreeEdits;
import org.syncservice.server.testing.SeededRuns;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.testing.TestDatabase;

/**
 * Folder-level sync under concurrent moves, randomized: writer threads commit random operations,
 * most of them moves (into, out of and within the selected subtrees, and of selected folders
 * themselves), while devices, each syncing one or two random folders of its own, page through
 * listings of their subtrees with pages of 1 to 3 items and follow on from their final cursors.
 * A device applies live items and tombstones by version, drops what comes out_of_scope, and
 * after each finished listing drops the folders that are neither under nor above a live
 * selected folder (docs/protocol.md 7.9, Folder-level sync). Every live item it applies must
 * have its parent already, live; each item's change_seq is within the page's. Once the writers
 * stop and each device lists once more, its copy must be exactly the server's state of its
 * subtrees and the folders above them: every item in them at its latest version, nothing else.
 *
 * <p>Each seed is one workspace and one run; a failure names its seed. Replay one with
 * {@code -Dsyncservice.test.subtreeSeed=N}; run more with {@code -Dsyncservice.test.subtreeSeeds=N}
 * (default {@value #DEFAULT_SEEDS}, about a minute on a busy machine), e.g. for a long run:
 * {@code ./mvnw -B -q -o -pl syncservice -am test -Dtest=SubtreeListingRaceTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsyncservice.test.subtreeSeeds=10000}.
 */
class SubtreeListingRaceTest {
    private static final SeededRuns.Properties PROPERTIES =
            new SeededRuns.Properties("syncservice.test.subtreeSeed", "syncservice.test.subtreeSeeds", "syncservice.test.subtreeBase");
    private static final int DEFAULT_SEEDS = 40;
    private static final int WRITERS = 2;
    private static final int DEVICES = 3;
    private static final int OPERATIONS_PER_WRITER = 10;
    /** Of 7 + this many chances, a writer's operation is a move. */
    private static final int MOVE_WEIGHT = 14;

    private static TestDatabase database;
    private static ServiceComponents components;
    private static ExecutorService threads;

    @BeforeAll
    static void setUp() throws Exception {
        database = SeededRuns.fastDatabase();
        components = TestComponents.create(database);
        threads = Executors.newFixedThreadPool(WRITERS + DEVICES);
    }

    @AfterAll
    static void tearDown() throws Exception {
        threads.shutdownNow();
        database.close();
    }

    @Test
    void devicesListingTheirSubtreesWhileItemsMoveInAndOutEndWithExactlyTheirScope() throws Exception {
        SeededRuns.run("SubtreeListingRaceTest", PROPERTIES, DEFAULT_SEEDS, seed -> new Run(seed).run());
    }

    /** One seed: a workspace, its writers and its devices. */
    private static final class Run {
        private final long seed;
        private final Principal owner;
        private final UUID workspace;
        private final RandomTreeEdits edits;
        private final AtomicBoolean writing = new AtomicBoolean(true);

        Run(long seed) {
            this.seed = seed;
            SeededRuns.Owner user = SeededRuns.newOwner(components);
            owner = user.principal();
            workspace = user.workspace();
            edits = new RandomTreeEdits(components, database.dataSource(), owner, workspace);
        }

        void run() throws Exception {
            Random random = new Random(seed);
            edits.seedTree(random);
            List<Long> folders = edits.itemsInDatabase().stream().filter(ItemVersion::folder)
                    .map(ItemVersion::itemId).sorted().toList();
            List<Set<Long>> scopes = new ArrayList<>();
            for (int d = 0; d < DEVICES; d++) {
                Set<Long> scope = new HashSet<>();
                for (int n = 1 + random.nextInt(2); scope.size() < n; ) {
                    scope.add(folders.get(random.nextInt(folders.size())));
                }
                scopes.add(scope);
            }
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                Random own = new Random(seed * 31 + w);
                writers.add(threads.submit(() -> edits.write(own, OPERATIONS_PER_WRITER, MOVE_WEIGHT)));
            }
            List<Future<Device>> devices = new ArrayList<>();
            for (int d = 0; d < DEVICES; d++) {
                Random own = new Random(seed * 37 + d);
                Device device = new Device(scopes.get(d));
                devices.add(threads.submit(() -> device.sync(own)));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            Map<Long, ItemVersion> server = new HashMap<>();
            edits.itemsInDatabase().forEach(item -> server.put(item.itemId(), item));
            for (Future<Device> future : devices) {
                Device device = future.get(60, TimeUnit.SECONDS);
                assertThat(device.live()).as("the copy of a device syncing %s after its last listing", device.roots)
                        .isEqualTo(scopeOf(server, device.roots));
            }
        }

        /** The live items of the server in or above the subtrees of {@code roots}. */
        private static Map<Long, LocalItem> scopeOf(Map<Long, ItemVersion> server, Set<Long> roots) {
            Map<Long, LocalItem> scope = new HashMap<>();
            for (ItemVersion item : server.values()) {
                if (!item.deleted() && underOne(item.itemId(), roots, id -> parentOf(server, id))) {
                    scope.put(item.itemId(), LocalItem.of(item));
                }
            }
            for (long root : roots) {
                ItemVersion selected = server.get(root);
                if (selected.deleted()) {
                    continue;
                }
                for (long up = selected.parentId(); up != 0; up = server.get(up).parentId()) {
                    scope.put(up, LocalItem.of(server.get(up)));
                }
            }
            return scope;
        }

        private static long parentOf(Map<Long, ItemVersion> items, long id) {
            ItemVersion item = items.get(id);
            return item == null ? 0 : item.parentId();
        }

        /** A device's copy of its subtrees. */
        private final class Device {
            private final Set<Long> roots;
            private final ListingScope scope;
            private final Map<Long, LocalItem> items = new HashMap<>();

            Device(Set<Long> roots) {
                this.roots = roots;
                this.scope = ListingScope.of(roots);
            }

            Device sync(Random random) {
                String cursor = "";
                do {
                    cursor = listFrom(cursor, random);
                } while (writing.get());
                listFrom(cursor, random);
                return this;
            }

            /** Pages from {@code cursor} to the end of the listing; returns the final cursor. */
            private String listFrom(String cursor, Random random) {
                ChangePage page;
                do {
                    page = components.changes().changes(owner, workspace, scope, cursor, 1 + random.nextInt(3));
                    for (ItemVersion item : page.items()) {
                        assertThat(item.changeSeq()).as("item %d's change_seq within the answer's", item.itemId())
                                .isLessThanOrEqualTo(page.changeSeq());
                        apply(item, page.outOfScope().contains(item.itemId()));
                    }
                    cursor = page.nextCursor();
                } while (page.hasMore());
                dropWhatIsNeitherUnderNorAboveASelectedFolder();
                return cursor;
            }

            private void apply(ItemVersion item, boolean outOfScope) {
                if (outOfScope) {
                    items.remove(item.itemId());
                    return;
                }
                if (!item.deleted() && item.parentId() != 0) {
                    LocalItem parent = items.get(item.parentId());
                    assertThat(parent).as("parent %d of live item %d (%s) known when it arrives", item.parentId(),
                            item.itemId(), item.name()).isNotNull();
                    assertThat(parent.deleted()).as("parent %d of live item %d (%s) live when it arrives",
                            item.parentId(), item.itemId(), item.name()).isFalse();
                }
                LocalItem known = items.get(item.itemId());
                if (known == null || known.version() <= item.version()) {
                    items.put(item.itemId(), LocalItem.of(item));
                }
            }

            /** Folders that led to a selected folder that has moved away, or was deleted, are no longer synced. */
            private void dropWhatIsNeitherUnderNorAboveASelectedFolder() {
                Set<Long> keep = new HashSet<>();
                for (long id : items.keySet()) {
                    if (underOne(id, roots, this::parentOf)) {
                        keep.add(id);
                    }
                }
                for (long root : roots) {
                    LocalItem selected = items.get(root);
                    if (selected == null || selected.deleted()) {
                        continue;
                    }
                    for (long up = selected.parentId(); up != 0 && items.containsKey(up); up = items.get(up).parentId()) {
                        keep.add(up);
                    }
                }
                items.keySet().retainAll(keep);
            }

            private long parentOf(long id) {
                LocalItem item = items.get(id);
                return item == null ? 0 : item.parentId();
            }

            Map<Long, LocalItem> live() {
                Map<Long, LocalItem> live = new HashMap<>();
                items.forEach((id, item) -> {
                    if (!item.deleted()) {
                        live.put(id, item);
                    }
                });
                return live;
            }
        }
    }

    /** Whether {@code id} is one of {@code roots} or under one, following {@code parents} up to the root. */
    private static boolean underOne(long id, Set<Long> roots, java.util.function.LongUnaryOperator parents) {
        for (long at = id; at != 0; at = parents.applyAsLong(at)) {
            if (roots.contains(at)) {
                return true;
            }
        }
        return false;
    }

    /** What a device keeps of an item, and what is compared with the server at the end. */
    private record LocalItem(long parentId, String name, long version, boolean deleted) {
        static LocalItem of(ItemVersion item) {
            return new LocalItem(item.parentId(), item.name(), item.version(), item.deleted());
        }
    }
}
