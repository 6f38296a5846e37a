package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.syncservice.server.notify.OutboxEvent;
import org.syncservice.server.notify.OutboxStore;
import org.syncservice.server.testing.TestDatabase;

/** The outbox's leases against the real PostgreSQL: held while a publisher works, taken over once run out. */
class OutboxLeaseTest {
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final int ROWS = 3;

    @Test
    void rowsOfAPublisherThatStallsMidPublishAreTakenByAnotherOnceTheLeaseRanOut() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            List<Long> ids = insertRows(database);
            JdbcOutboxStore stalled = new JdbcOutboxStore(database.dataSource());
            JdbcOutboxStore other = new JdbcOutboxStore(database.dataSource());
            CountDownLatch publishing = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            CompletableFuture<OutboxStore.Pass> stalledPass = CompletableFuture.supplyAsync(() -> {
                try {
                    return stalled.publishPending(10, 100, 3, LEASE, events -> {
                        publishing.countDown();
                        // As an instance that froze (or died) with the batch handed to the broker.
                        resume.await(1, TimeUnit.MINUTES);
                        return List.of();
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                assertThat(publishing.await(20, TimeUnit.SECONDS)).isTrue();
                long leasedAt = System.nanoTime();

                List<Long> seen = new ArrayList<>();
                OutboxStore.Pass early = other.publishPending(10, 100, 3, LEASE, events -> record(events, seen));
                if (System.nanoTime() - leasedAt < LEASE.toNanos()) {
                    assertThat(early.claimed()).as("rows under lease are not handed out").isZero();
                    assertThat(seen).isEmpty();
                }

                Thread.sleep(LEASE.plusMillis(500).toMillis());
                OutboxStore.Pass takenOver = other.publishPending(10, 100, 3, LEASE, events -> record(events, seen));

                assertThat(takenOver.published()).isEqualTo(ROWS);
                assertThat(seen).containsExactlyElementsOf(ids);
                assertThat(unpublished(database)).isZero();
                assertThat(other.publishPending(10, 100, 3, LEASE, events -> record(events, seen)).claimed())
                        .as("published rows are not handed out again").isZero();
            } finally {
                resume.countDown();
            }
            stalledPass.get(20, TimeUnit.SECONDS);
            assertThat(unpublished(database)).isZero();
        }
    }

    private static List<OutboxStore.Refusal> record(List<OutboxEvent> events, List<Long> seen) {
        events.forEach(event -> seen.add(event.outboxId()));
        return List.of();
    }

    private static List<Long> insertRows(TestDatabase database) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO outbox (kind, workspace_id, user_id)"
                     + " SELECT 'WORKSPACE_RENAMED', gen_random_uuid(), ? FROM generate_series(1, ?)"
                     + " RETURNING outbox_id")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setInt(2, ROWS);
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        ids.sort(null);
        return ids;
    }

    private static long unpublished(TestDatabase database) throws Exception {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement count = c.prepareStatement("SELECT count(*) FROM outbox WHERE published_at IS NULL");
             ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
