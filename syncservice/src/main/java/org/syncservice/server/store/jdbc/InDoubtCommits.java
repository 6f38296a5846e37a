package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Finds out, on a fresh connection, whether a transaction whose connection broke while its COMMIT
 * was on its way committed: by its stored answers (request_log rows are written in the
 * transaction, so they are there exactly when it committed). A row not there yet may still come:
 * the old backend can be in the middle of the COMMIT, so absence counts only once that backend has
 * no transaction open any more (pg_stat_activity, read in a transaction of its own each time: a
 * transaction sees one snapshot of it). Thread-safe.
 */
final class InDoubtCommits {
    /** How long the service tries to find out before it answers that the outcome is unknown. */
    static final Duration FIND_OUT_WITHIN = Duration.ofSeconds(3);
    private static final long PAUSE_MS = 20;

    /** What became of the transaction. */
    enum Found {
        /** Its stored answers are there (it committed; or a retry stored them since). */
        STORED,
        /** It ended without committing: nothing of it is stored. */
        NOTHING_STORED,
        /** No fresh connection answered in time, or its backend still holds it open. */
        UNKNOWN
    }

    private final DataSource dataSource;
    private final Duration within;

    InDoubtCommits(DataSource dataSource, Duration within) {
        this.dataSource = dataSource;
        this.within = within;
    }

    /** The id of the server process serving the connection, to follow it from another; 0 when unknown. */
    static int backendPid(Connection connection) {
        try {
            return connection.isWrapperFor(PGConnection.class)
                    ? connection.unwrap(PGConnection.class).getBackendPID() : 0;
        } catch (SQLException e) {
            return 0;
        }
    }

    /** @param backendPid the broken connection's server process, 0 when unknown */
    Found find(int backendPid, List<StoredAnswers.Key> keys) {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            try (Connection connection = dataSource.getConnection()) {
                // Each statement its own transaction (the pool restores the setting).
                connection.setAutoCommit(true);
                if (anyStored(connection, keys)) {
                    return Found.STORED;
                }
                while (backendPid != 0 && inTransaction(connection, backendPid)) {
                    if (System.nanoTime() > deadline) {
                        return Found.UNKNOWN;
                    }
                    TimeUnit.MILLISECONDS.sleep(PAUSE_MS);
                }
                // Read again: the COMMIT may have ended between the first read and the check.
                return anyStored(connection, keys) ? Found.STORED : Found.NOTHING_STORED;
            } catch (SQLException e) {
                // A pooled connection broken as well (the pool drops it), or none to be had: again.
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Found.UNKNOWN;
            }
        } while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted());
        return Found.UNKNOWN;
    }

    private static boolean anyStored(Connection connection, List<StoredAnswers.Key> keys) throws SQLException {
        UUID[] devices = keys.stream().map(StoredAnswers.Key::deviceId).toArray(UUID[]::new);
        String[] requests = keys.stream().map(StoredAnswers.Key::requestId).toArray(String[]::new);
        try (PreparedStatement select = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM request_log r"
                + " JOIN unnest(?::uuid[], ?::text[]) AS k (device_id, request_id)"
                + " ON r.device_id = k.device_id AND r.request_id = k.request_id)")) {
            select.setArray(1, connection.createArrayOf("uuid", devices));
            select.setArray(2, connection.createArrayOf("text", requests));
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /** Whether the server process still has a transaction open (and is not this connection's own). */
    private static boolean inTransaction(Connection connection, int backendPid) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_stat_activity"
                + " WHERE pid = ? AND pid <> pg_backend_pid() AND xact_start IS NOT NULL)")) {
            select.setInt(1, backendPid);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
