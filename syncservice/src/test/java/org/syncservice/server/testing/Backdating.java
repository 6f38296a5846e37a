package org.syncservice.server.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Moves "now" for retention tests by back-dating what a workspace stored, in SQL: committed rows,
 * stored answers and chunk candidates look {@code age} older than they are. Also reads the few
 * numbers those tests check.
 */
public final class Backdating {
    private final DataSource dataSource;

    public Backdating(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Everything the workspace committed so far (items, versions, stored answers) looks {@code age} older. */
    public void workspace(String workspaceId, Duration age) throws SQLException {
        UUID id = UUID.fromString(workspaceId);
        update("UPDATE items SET committed_at = committed_at - ? * interval '1 millisecond' WHERE workspace_id = ?",
                age, id);
        update("UPDATE item_versions SET committed_at = committed_at - ? * interval '1 millisecond'"
                + " WHERE workspace_id = ?", age, id);
        update("UPDATE request_log SET created_at = created_at - ? * interval '1 millisecond' WHERE workspace_id = ?",
                age, id);
    }

    /** Every chunk candidate looks unreferenced for {@code age} longer. */
    public void chunkCandidates(Duration age) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE chunk_garbage"
                     + " SET unreferenced_since = unreferenced_since - ? * interval '1 millisecond'")) {
            update.setLong(1, age.toMillis());
            update.executeUpdate();
        }
    }

    /** A count (or any single number) the query returns. */
    public long number(String sql, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = select.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private void update(String sql, Duration age, UUID workspaceId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement update = c.prepareStatement(sql)) {
            update.setLong(1, age.toMillis());
            update.setObject(2, workspaceId);
            update.executeUpdate();
        }
    }
}
