package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.syncservice.server.notify.OutboxEvent;
import org.syncservice.server.notify.OutboxStore;
import org.syncservice.server.testing.TestDatabase;

/**
 * Publishers of two instances drain one outbox at once while rows are written and the broker
 * (simulated: whether it refuses a row's n-th attempt is drawn from the seed and the row alone, so
 * every row's fate is known in advance) refuses some: no row is held by two publishers, none is
 * published twice or handed out once set aside, exactly the rows refused max-attempts times in a
 * row are set aside, every other one is published, and after a replay (by id and of all,
 * concurrent with publishing) every row is published exactly once.
 *
 * <p>Replay a failure with {@code -Doutbox.seed=<printed seed>}; a long run:
 * {@code ./mvnw -B -q -o -pl syncservice -am test -Dtest=OutboxSetAsideConcurrencyTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Doutbox.rows=20000 -Doutbox.publishers=8}.
 */
class OutboxSetAsideConcurrencyTest {
    private static final long SEED = Long.getLong("outbox.seed", new Random().nextLong());
    private static final int ROWS = Integer.getInteger("outbox.rows", 400);
    private static final int PUBLISHERS = Integer.getInteger("outbox.publishers", 4);
    private static final int MAX_ATTEMPTS = 3;
    private static final java.time.Duration LEASE = java.time.Duration.ofMinutes(1);

    /** The simulated broker and what it saw. Thread-safe. */
    private static final class Broker {
        final Map<Long, AtomicInteger> refusals = new ConcurrentHashMap<>();
        final Map<Long, AtomicInteger> confirmations = new ConcurrentHashMap<>();
        final Set<Long> held = ConcurrentHashMap.newKeySet();
        final List<String> violations = new CopyOnWriteArrayList<>();
        volatile boolean refusing = true;

        List<OutboxStore.Refusal> publish(List<OutboxEvent> events) {
            List<OutboxStore.Refusal> refused = new ArrayList<>();
            for (OutboxEvent event : events) {
                long id = event.outboxId();
                if (!held.add(id)) {
                    violations.add("row " + id + " handed to two publishers at once");
                }
            }
            try {
                for (OutboxEvent event : events) {
                    long id = event.outboxId();
                    if (confirmations.containsKey(id)) {
                        violations.add("row " + id + " handed out again after it was published");
                    }
                    int attempt = refusals.computeIfAbsent(id, k -> new AtomicInteger()).get();
                    if (refusing && attempt >= MAX_ATTEMPTS) {
                        violations.add("row " + id + " handed out after " + attempt + " refusals (set aside)");
                    }
                    if (refusing && refuses(id, attempt)) {
                        refusals.get(id).incrementAndGet();
                        refused.add(new OutboxStore.Refusal(id, "refused attempt " + attempt));
                    } else {
                        confirmations.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    }
                }
            } finally {
                events.forEach(event -> held.remove(event.outboxId()));
            }
            return refused;
        }
    }

    /** A tenth of the rows are refused every time; the others one attempt in four. */
    private static boolean refuses(long outboxId, int attempt) {
        SplittableRandom row = new SplittableRandom(SEED ^ (outboxId * 0x9E3779B97F4A7C15L));
        boolean alwaysRefused = row.nextInt(10) == 0;
        SplittableRandom draw = new SplittableRandom(row.nextLong() + attempt);
        return alwaysRefused || draw.nextInt(4) == 0;
    }

    private static boolean expectedSetAside(long outboxId) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (!refuses(outboxId, attempt)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void concurrentPublishersSetAsideExactlyTheRowsThatFailedTheirAttemptsAndPublishEveryOtherOnce()
            throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            run(database);
        } catch (AssertionError | Exception e) {
            throw new AssertionError("failed with -Doutbox.seed=" + SEED + " -Doutbox.rows=" + ROWS
                    + " -Doutbox.publishers=" + PUBLISHERS + ": " + e.getMessage(), e);
        }
    }

    private static void run(TestDatabase database) throws Exception {
        Broker broker = new Broker();
        // Two instances, each its own store over its own connections.
        List<JdbcOutboxStore> instances = List.of(new JdbcOutboxStore(database.dataSource()),
                new JdbcOutboxStore(database.dataSource()));
        JdbcOutboxStore operator = instances.get(0);

        Thread writer = new Thread(() -> write(database, new SplittableRandom(SEED)), "writer");
        Drain first = new Drain(instances, broker);
        writer.start();
        first.start();
        writer.join();
        first.untilDrained(operator);
        assertThat(broker.violations).isEmpty();

        Map<Long, String> rows = rows(database);
        assertThat(rows).hasSize(ROWS);
        List<Long> setAside = new ArrayList<>();
        rows.forEach((id, state) -> {
            int refused = broker.refusals.getOrDefault(id, new AtomicInteger()).get();
            if (expectedSetAside(id)) {
                setAside.add(id);
                assertThat(state).as("row %d, refused %d times", id, refused).isEqualTo("set aside " + MAX_ATTEMPTS);
            } else {
                assertThat(state).as("row %d, refused %d times", id, refused).isEqualTo("published " + (refused + 1));
                assertThat(broker.confirmations.get(id)).as("confirmations of row %d", id).hasValue(1);
            }
        });
        assertThat(operator.setAsideCount()).isEqualTo(setAside.size());

        // The broker is fixed; an operator replays some rows by id, then all, while publishers run.
        broker.refusing = false;
        Drain second = new Drain(instances, broker);
        second.start();
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (long id : setAside) {
            if (random.nextBoolean()) {
                assertThat(operator.replaySetAside(OptionalLong.of(id))).isOne();
            }
        }
        operator.replaySetAside(OptionalLong.empty());
        second.untilDrained(operator);
        assertThat(broker.violations).isEmpty();
        assertThat(operator.setAsideCount()).isZero();
        assertThat(rows(database).values()).allMatch(state -> state.startsWith("published "));
        assertThat(broker.confirmations).hasSize(ROWS);
        broker.confirmations.forEach((id, count) -> assertThat(count).as("confirmations of row %d", id).hasValue(1));
    }

    private static void write(TestDatabase database, SplittableRandom random) {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO outbox (kind, workspace_id, user_id) VALUES ('WORKSPACE_RENAMED', ?, ?)")) {
            int written = 0;
            while (written < ROWS) {
                int chunk = Math.min(ROWS - written, 1 + random.nextInt(20));
                for (int i = 0; i < chunk; i++) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setObject(2, UUID.randomUUID());
                    insert.addBatch();
                }
                insert.executeBatch();
                written += chunk;
                Thread.sleep(random.nextInt(5));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row's state: "published <attempts>" or "set aside <attempts>" (or "pending"). */
    private static Map<Long, String> rows(TestDatabase database) throws Exception {
        Map<Long, String> rows = new java.util.TreeMap<>();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT outbox_id, published_at IS NOT NULL,"
                     + " set_aside_at IS NOT NULL, attempts FROM outbox");
             ResultSet r = select.executeQuery()) {
            while (r.next()) {
                String state = r.getBoolean(2) && r.getBoolean(3) ? "both"
                        : r.getBoolean(2) ? "published" : r.getBoolean(3) ? "set aside" : "pending";
                rows.put(r.getLong(1), state + " " + r.getInt(4));
            }
        }
        return rows;
    }

    /** Publisher threads spread over the instances, each with its own batch sizes, until stopped. */
    private static final class Drain {
        private final List<Thread> threads = new ArrayList<>();
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private volatile boolean stop;

        Drain(List<JdbcOutboxStore> instances, Broker broker) {
            for (int t = 0; t < PUBLISHERS; t++) {
                JdbcOutboxStore store = instances.get(t % instances.size());
                SplittableRandom random = new SplittableRandom(SEED * 31 + t);
                threads.add(new Thread(() -> {
                    try {
                        while (!stop) {
                            if (store.publishPending(1 + random.nextInt(10), 100, MAX_ATTEMPTS, LEASE, broker::publish)
                                    .claimed() == 0) {
                                Thread.sleep(2);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "publisher-" + t));
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        /** Waits until nothing is left to publish, then stops the threads. */
        void untilDrained(JdbcOutboxStore store) throws Exception {
            long deadline = System.nanoTime() + java.time.Duration.ofMinutes(5).toNanos();
            while (store.pendingCount() > 0 && failures.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            stop = true;
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failures).isEmpty();
            assertThat(store.pendingCount()).as("rows left pending").isZero();
        }
    }
}
