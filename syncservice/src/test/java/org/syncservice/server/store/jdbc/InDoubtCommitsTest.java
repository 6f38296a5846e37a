package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.server.testing.TestDatabase;

/**
 * Finding out what became of a transaction whose COMMIT was in doubt, against a transaction held
 * open on a connection of the test's own, as the old server process of a broken connection can be
 * while it is still committing: its stored answer not visible yet is not taken for "nothing stored"
 * until that process has no transaction open.
 */
class InDoubtCommitsTest {
    private static TestDatabase database;
    private static UUID deviceId;

    @BeforeAll
    static void create() throws SQLException {
        database = TestDatabase.create();
        UUID userId = UUID.randomUUID();
        deviceId = UUID.randomUUID();
        try (Connection c = database.dataSource().getConnection()) {
            update(c, "INSERT INTO users (user_id, email, name, password_hash, quota_limit_bytes)"
                    + " VALUES ('" + userId + "', 'in-doubt@example.org', 'D', 'x', 0)");
            update(c, "INSERT INTO devices (device_id, user_id, name) VALUES ('" + deviceId + "', '" + userId
                    + "', 'laptop')");
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        database.close();
    }

    @Test
    void aStoredAnswerThatCommitsWhileTheTransactionIsStillOpenIsFoundAsStored() throws Exception {
        assertThat(outcomeWhenTheOpenTransactionEnds(true)).isEqualTo(InDoubtCommits.Found.STORED);
    }

    @Test
    void aTransactionThatEndsWithoutCommittingStoredNothingOnlyOnceItHasEnded() throws Exception {
        assertThat(outcomeWhenTheOpenTransactionEnds(false)).isEqualTo(InDoubtCommits.Found.NOTHING_STORED);
    }

    @Test
    void aTransactionHeldOpenBeyondTheBoundLeavesTheOutcomeUnknown() throws Exception {
        String requestId = "held-" + UUID.randomUUID();
        try (Connection open = openWithAnswer(requestId)) {
            InDoubtCommits inDoubt = new InDoubtCommits(database.dataSource(), Duration.ofMillis(300));
            assertThat(inDoubt.find(InDoubtCommits.backendPid(open), keys(requestId)))
                    .isEqualTo(InDoubtCommits.Found.UNKNOWN);
            open.rollback();
        }
    }

    /** Looks for the answer while the transaction that writes it is open, then ends it. */
    private static InDoubtCommits.Found outcomeWhenTheOpenTransactionEnds(boolean commit) throws Exception {
        String requestId = "open-" + UUID.randomUUID();
        try (Connection open = openWithAnswer(requestId)) {
            InDoubtCommits inDoubt = new InDoubtCommits(database.dataSource(), Duration.ofSeconds(10));
            int pid = InDoubtCommits.backendPid(open);
            CompletableFuture<InDoubtCommits.Found> found = CompletableFuture.supplyAsync(
                    () -> inDoubt.find(pid, keys(requestId)));
            TimeUnit.MILLISECONDS.sleep(300);
            assertThat(found).as("no outcome while the transaction is open").isNotDone();
            if (commit) {
                open.commit();
            } else {
                open.rollback();
            }
            return found.get(5, TimeUnit.SECONDS);
        }
    }

    private static Connection openWithAnswer(String requestId) throws SQLException {
        Connection open = database.dataSource().getConnection();
        open.setAutoCommit(false);
        try (PreparedStatement insert = open.prepareStatement("INSERT INTO request_log (device_id, request_id,"
                + " operation, request_hash) VALUES (?, ?, 'commit', '\\x00')")) {
            insert.setObject(1, deviceId);
            insert.setString(2, requestId);
            insert.executeUpdate();
        }
        return open;
    }

    private static List<StoredAnswers.Key> keys(String requestId) {
        return List.of(new StoredAnswers.Key(deviceId, requestId));
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }
}
