package org.syncservice.desktop.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * Reads what a synced folder's client last recorded about itself, from its state database; safe to
 * use from another process while the client runs (the database is in WAL mode).
 */
public final class StatusReader {
    static final int CONFLICTS_SHOWN = 20;

    private StatusReader() {
    }

    /**
     * Reads the status recorded in {@code stateDirectory}.
     *
     * @throws IOException when there is no state database there or it cannot be read
     */
    public static StatusReport read(Path stateDirectory) throws IOException {
        Path file = stateDirectory.resolve(StateDatabase.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no sync state in " + stateDirectory);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(),
                config.toProperties())) {
            return read(connection);
        } catch (SQLException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    static StatusReport read(Connection connection) {
        Map<String, String> status = new HashMap<>();
        StateDatabase.query(connection, "SELECT key, value FROM status", rs -> status.put(rs.getString(1),
                rs.getString(2)));
        List<StatusReport.Transfer> uploads = transfers(connection, "up");
        List<StatusReport.Transfer> downloads = transfers(connection, "down");
        List<StatusReport.Conflict> conflicts = StateDatabase.query(connection,
                "SELECT original, copy, at_ms FROM conflict ORDER BY id DESC LIMIT " + CONFLICTS_SHOWN,
                rs -> new StatusReport.Conflict(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
        List<StatusReport.Problem> problems = StateDatabase.query(connection,
                "SELECT path, reason, since_ms FROM problem ORDER BY path",
                rs -> new StatusReport.Problem(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
        return new StatusReport(status.getOrDefault("state", "stopped"), nonEmpty(status.get("blocked")), uploads,
                downloads, conflicts, problems, nonEmpty(status.get("last_error")),
                StateDatabase.instant(status.get("updated_ms")));
    }

    private static List<StatusReport.Transfer> transfers(Connection connection, String direction) {
        return StateDatabase.query(connection, "SELECT path, size FROM pending_transfer WHERE direction = ? ORDER BY path",
                rs -> new StatusReport.Transfer(rs.getString(1), rs.getLong(2)), direction);
    }

    private static Optional<String> nonEmpty(String value) {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
