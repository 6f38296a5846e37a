package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.syncservice.server.testing.SchemaVersion;
import org.syncservice.server.testing.TestDatabase;

/**
 * Several instances running --init-db at once, as a rolling deployment may: whatever the database
 * held (nothing, or a setup_db.sql build), each ends on the current schema and the history holds
 * one row per version, never a migration applied or a baseline made twice.
 */
class ConcurrentMigrationsTest {

    @Test
    void concurrentMigrationsOfOneDatabaseApplyEachVersionOnce() throws Exception {
        long seed = Long.getLong("syncservice.test.migrationSeed", System.nanoTime());
        int rounds = Integer.getInteger("syncservice.test.migrationRounds", 4);
        try {
            Random random = new Random(seed);
            for (int round = 0; round < rounds; round++) {
                race(random);
            }
        } catch (AssertionError | Exception e) {
            throw new AssertionError("concurrent migrations failed with seed " + seed
                    + " (replay: -Dsyncservice.test.migrationSeed=" + seed + "): " + e.getMessage(), e);
        }
    }

    private static void race(Random random) throws Exception {
        boolean builtBySetupScript = random.nextBoolean();
        int instances = 2 + random.nextInt(5);
        try (TestDatabase database = TestDatabase.createEmpty()) {
            if (builtBySetupScript) {
                new SetupScript(database.dataSource()).apply();
            }
            ExecutorService pool = Executors.newFixedThreadPool(instances);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<SchemaState>> results = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    long delayMicros = random.nextInt(20_000);
                    results.add(pool.submit(() -> {
                        go.await();
                        TimeUnit.MICROSECONDS.sleep(delayMicros);
                        return new SchemaMigrations(database.dataSource()).migrate();
                    }));
                }
                go.countDown();
                for (Future<SchemaState> result : results) {
                    assertThat(result.get(2, TimeUnit.MINUTES)).isEqualTo(new SchemaState(SchemaState.Kind.CURRENT, SchemaVersion.CURRENT, SchemaVersion.CURRENT));
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(history(database)).as(instances + " instances, setup_db.sql build: " + builtBySetupScript)
                    .containsExactlyElementsOf(builtBySetupScript ? List.of(SchemaVersion.CURRENT + " BASELINE")
                            : java.util.stream.IntStream.rangeClosed(1, SchemaVersion.CURRENT).mapToObj(v -> v + " SQL").toList());
        }
    }

    private static List<String> history(TestDatabase database) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(
                     "SELECT version || ' ' || type FROM flyway_schema_history ORDER BY installed_rank")) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
