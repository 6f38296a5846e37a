package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/**
 * The one writer of broker_disconnects rows: a store that revokes or signs out devices asks here,
 * in its own transaction, for their broker connections to be closed ({@link JdbcDisconnectStore}
 * reads them). The time is taken when the row is written, late in the transaction, because a
 * device may be handed broker tokens until the transaction commits.
 */
final class DisconnectRows {
    private static final String REQUEST = "INSERT INTO broker_disconnects (device_id, requested_at)"
            + " VALUES (?, clock_timestamp()) ON CONFLICT (device_id) DO UPDATE SET requested_at = excluded.requested_at";

    private DisconnectRows() {
    }

    static void request(Connection c, Collection<UUID> deviceIds) throws SQLException {
        if (deviceIds.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(REQUEST)) {
            for (UUID deviceId : deviceIds) {
                insert.setObject(1, deviceId);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** A row for every device {@code select} yields (one uuid column); {@code parameters} are its parameters. */
    static void requestForEach(Connection c, String select, UUID... parameters) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO broker_disconnects (device_id, requested_at)"
                + " SELECT s.device_id, clock_timestamp() FROM (" + select + ") AS s (device_id)"
                + " ON CONFLICT (device_id) DO UPDATE SET requested_at = excluded.requested_at")) {
            for (int i = 0; i < parameters.length; i++) {
                insert.setObject(i + 1, parameters[i]);
            }
            insert.executeUpdate();
        }
    }
}
