package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.status.ServiceCounts;
import org.syncservice.server.status.StatusStore;

/** Status queries over PostgreSQL. Thread-safe: every call takes its own pooled connection. */
public final class JdbcStatusStore implements StatusStore {
    /** A health check must answer quickly, even when the database hangs. */
    private static final int PING_TIMEOUT_SECONDS = 2;

    private final Transactions tx;

    public JdbcStatusStore(DataSource dataSource) {
        this.tx = new Transactions(dataSource);
    }

    @Override
    public boolean isReachable() {
        try {
            return tx.inTransaction(c -> {
                try (PreparedStatement ping = c.prepareStatement("SELECT 1")) {
                    ping.setQueryTimeout(PING_TIMEOUT_SECONDS);
                    try (ResultSet rows = ping.executeQuery()) {
                        return rows.next();
                    }
                }
            });
        } catch (ServiceException | IllegalStateException e) {
            return false;
        }
    }

    @Override
    public int schemaVersion() {
        return tx.inTransaction(c -> (int) single(c, "SELECT COALESCE(max(version), 0) FROM schema_version"));
    }

    @Override
    public long outboxBacklog() {
        // Counted through the partial index outbox_publishable.
        return tx.inTransaction(c -> single(c,
                "SELECT count(*) FROM outbox WHERE published_at IS NULL AND set_aside_at IS NULL"));
    }

    @Override
    public long outboxSetAside() {
        // Counted through the partial index outbox_set_aside.
        return tx.inTransaction(c -> single(c,
                "SELECT count(*) FROM outbox WHERE set_aside_at IS NOT NULL AND published_at IS NULL"));
    }

    @Override
    public ServiceCounts counts() {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT (SELECT count(*) FROM users),"
                    + " (SELECT count(*) FROM devices WHERE revoked_at IS NULL),"
                    + " (SELECT count(*) FROM workspaces), (SELECT count(*) FROM items)");
                 ResultSet rows = select.executeQuery()) {
                rows.next();
                return new ServiceCounts(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4));
            }
        });
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
