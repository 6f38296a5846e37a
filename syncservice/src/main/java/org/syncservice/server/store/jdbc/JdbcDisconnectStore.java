package org.syncservice.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.syncservice.server.notify.DisconnectStore;

/**
 * broker_disconnects in PostgreSQL. Times are the database's, one clock for every instance.
 * Thread-safe.
 */
public final class JdbcDisconnectStore implements DisconnectStore {
    // A device whose DeviceRevoked is still to go out waits for it: once published (or set aside),
    // the notice went to its queue and the queue was deleted.
    private static final String PENDING = "SELECT d.device_id, d.requested_at,"
            + " d.requested_at + ? * interval '1 millisecond' <= now()"
            + " FROM broker_disconnects d"
            + " WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.published_at IS NULL AND o.set_aside_at IS NULL"
            + " AND o.kind = '" + OutboxKind.DEVICE_REVOKED + "' AND o.device_id = d.device_id)"
            + " ORDER BY d.requested_at LIMIT ?";

    private final Transactions tx;

    public JdbcDisconnectStore(DataSource dataSource) {
        this.tx = new Transactions(dataSource);
    }

    @Override
    public List<Pending> pending(int limit, Duration tokenLifetime) {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement(PENDING)) {
                select.setLong(1, tokenLifetime.toMillis());
                select.setInt(2, limit);
                List<Pending> pending = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        pending.add(new Pending(rows.getObject(1, UUID.class), rows.getTimestamp(2).toInstant(),
                                rows.getBoolean(3)));
                    }
                }
                return pending;
            }
        });
    }

    @Override
    public void done(Pending pending) {
        tx.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM broker_disconnects WHERE device_id = ? AND requested_at = ?")) {
                delete.setObject(1, pending.deviceId());
                delete.setTimestamp(2, java.sql.Timestamp.from(pending.requestedAt()));
                return delete.executeUpdate();
            }
        });
    }
}
