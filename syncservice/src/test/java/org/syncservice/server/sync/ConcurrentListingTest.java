package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Listings under concurrent commits, randomized: writer threads commit random operations (new
 * files and folders, content changes, renames, moves up and down the tree, subtree deletes,
 * restores) while reader threads page through listings with pages of 1 to 3 items and follow on
 * from their final cursors, each applying what it gets to a tree of its own. Every applied live
 * item's parent must already be known and live; once the writers stop and each reader lists once
 * more from its cursor, its tree must be the server's live tree exactly.
 *
 * <p>Each seed is one workspace and one run; a failure names its seed. Replay one with
 * {@code -Dconcurrent-listing.seed=N}; run more with {@code -Dconcurrent-listing.seeds=N}
 * (default {@value #DEFAULT_SEEDS}), e.g. for a long run:
 * {@code ./mvnw -B -q -o -pl syncservice -am test -Dtest=ConcurrentListingTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dconcurrent-listing.seeds=20000}.
 */
class ConcurrentListingTest {
    private static final SeededRuns.Properties PROPERTIES =
            new SeededRuns.Properties("concurrent-listing.seed", "concurrent-listing.seeds", "concurrent-listing.base");
    private static final int DEFAULT_SEEDS = 200;
    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final int OPERATIONS_PER_WRITER = 8;

    private static TestDatabase database;
    private static ServiceComponents components;
    private static ExecutorService threads;

    @BeforeAll
    static void setUp() throws Exception {
        database = SeededRuns.fastDatabase();
        components = TestComponents.create(database);
        threads = Executors.newFixedThreadPool(WRITERS + READERS);
    }

    @AfterAll
    static void tearDown() throws Exception {
        threads.shutdownNow();
        database.close();
    }

    @Test
    void readersPagingWhileWritersCommitEndWithExactlyTheServersTree() throws Exception {
        SeededRuns.run("ConcurrentListingTest", PROPERTIES, DEFAULT_SEEDS, seed -> new Run(seed).run());
    }

    /** One seed: a workspace, its writers and its readers. */
    private static final class Run {
        private final long seed;
        private final Principal owner;
        private final UUID workspace;
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final RandomTreeEdits edits;

        Run(long seed) {
            this.seed = seed;
            SeededRuns.Owner user = SeededRuns.newOwner(components);
            owner = user.principal();
            workspace = user.workspace();
            edits = new RandomTreeEdits(components, database.dataSource(), owner, workspace);
        }

        void run() throws Exception {
            edits.seedTree(new Random(seed));
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                Random random = new Random(seed * 31 + w);
                writers.add(threads.submit(() -> edits.write(random, OPERATIONS_PER_WRITER, 3)));
            }
            List<Future<Replica>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                Random random = new Random(seed * 37 + r);
                readers.add(threads.submit(() -> read(random)));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            Map<Long, LocalItem> server = liveTree();
            for (Future<Replica> reader : readers) {
                Replica replica = reader.get(60, TimeUnit.SECONDS);
                assertThat(replica.live()).as("a reader's tree after its last listing").isEqualTo(server);
            }
        }

        private Replica read(Random random) {
            Replica replica = new Replica();
            String cursor = "";
            do {
                cursor = replica.listFrom(cursor, random);
            } while (writing.get());
            replica.listFrom(cursor, random);
            return replica;
        }

        private final class Replica {
            private final Map<Long, LocalItem> items = new HashMap<>();

            /** Pages from {@code cursor} to the end of the listing; returns the final cursor. */
            String listFrom(String cursor, Random random) {
                ChangePage page;
                do {
                    page = components.changes().changes(owner, workspace, cursor, 1 + random.nextInt(3));
                    for (ItemVersion item : page.items()) {
                        assertThat(item.changeSeq()).as("item %d's change_seq within the answer's", item.itemId())
                                .isLessThanOrEqualTo(page.changeSeq());
                        apply(item);
                    }
                    cursor = page.nextCursor();
                } while (page.hasMore());
                return cursor;
            }

            private void apply(ItemVersion item) {
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

        private Map<Long, LocalItem> liveTree() {
            Map<Long, LocalItem> live = new HashMap<>();
            for (ItemVersion item : edits.itemsInDatabase()) {
                if (!item.deleted()) {
                    live.put(item.itemId(), LocalItem.of(item));
                }
            }
            return live;
        }
    }

    /** What a reader keeps of an item, and what is compared with the server at the end. */
    private record LocalItem(long parentId, String name, long version, boolean deleted) {
        static LocalItem of(ItemVersion item) {
            return new LocalItem(item.parentId(), item.name(), item.version(), item.deleted());
        }
    }
}
