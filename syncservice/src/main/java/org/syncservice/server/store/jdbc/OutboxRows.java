package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The one writer of outbox rows: every store queues its notifications here, in the transaction
 * that makes the change they announce, so the change and its announcement commit together.
 * Which columns a kind fills is decided here alone; {@link JdbcOutboxStore} rebuilds the events
 * from them.
 */
final class OutboxRows {
    private static final String COMMIT = "INSERT INTO outbox (kind, workspace_id, change_seq, device_id, request_id)"
            + " VALUES ('" + OutboxKind.COMMIT + "', ?, ?, ?, ?)";
    private static final String WORKSPACE = "INSERT INTO outbox (kind, workspace_id, user_id) VALUES (?, ?, ?)";
    private static final String DEVICE = "INSERT INTO outbox (kind, user_id, device_id) VALUES (?, ?, ?)";

    private OutboxRows() {
    }

    /** A commit of a workspace at a sequence number, by a device's request. */
    static void commit(Connection c, UUID workspaceId, long changeSeq, UUID deviceId, String requestId)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(COMMIT)) {
            insert.setObject(1, workspaceId);
            insert.setLong(2, changeSeq);
            insert.setObject(3, deviceId);
            insert.setString(4, requestId);
            insert.executeUpdate();
        }
    }

    /**
     * A commit row for each row of a common table expression {@code source} with the columns
     * workspace_id, change_seq, device_id and request_id, where change_seq is above 0 (a plan that
     * stored nothing has none): a part of a larger statement, {@code name AS (...)}.
     */
    static String commitsFrom(String name, String source) {
        return name + " AS (INSERT INTO outbox (kind, workspace_id, change_seq, device_id, request_id)"
                + " SELECT '" + OutboxKind.COMMIT + "', workspace_id, change_seq, device_id, request_id FROM " + source
                + " WHERE change_seq > 0 RETURNING 1)";
    }

    /** A workspace event for one member. */
    static void workspace(Connection c, OutboxKind kind, UUID workspaceId, UUID userId) throws SQLException {
        requireWorkspaceKind(kind);
        insertRow(c, WORKSPACE, kind, workspaceId, userId);
    }

    /**
     * A workspace event for each row of {@code select}, which yields workspace_id and user_id in
     * the order the rows are to be published; {@code parameters} are its parameters.
     */
    static void workspaceForEach(Connection c, OutboxKind kind, String select, UUID... parameters)
            throws SQLException {
        requireWorkspaceKind(kind);
        insertSelected(c, "INSERT INTO outbox (kind, workspace_id, user_id) SELECT '" + kind + "', w.workspace_id,"
                + " w.user_id FROM (" + select + ") AS w (workspace_id, user_id)", parameters);
    }

    /** A device event (registered, revoked) for the user's other devices. */
    static void device(Connection c, OutboxKind kind, UUID userId, UUID deviceId) throws SQLException {
        requireDeviceKind(kind);
        insertRow(c, DEVICE, kind, userId, deviceId);
    }

    /**
     * A device event for each row of {@code select}, which yields user_id and device_id in the
     * order the rows are to be published.
     */
    static void deviceForEach(Connection c, OutboxKind kind, String select, UUID... parameters) throws SQLException {
        requireDeviceKind(kind);
        insertSelected(c, "INSERT INTO outbox (kind, user_id, device_id) SELECT '" + kind + "', d.user_id,"
                + " d.device_id FROM (" + select + ") AS d (user_id, device_id)", parameters);
    }

    private static void insertRow(Connection c, String sql, OutboxKind kind, UUID first, UUID second)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            insert.setString(1, kind.name());
            insert.setObject(2, first);
            insert.setObject(3, second);
            insert.executeUpdate();
        }
    }

    private static void insertSelected(Connection c, String sql, UUID... parameters) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                insert.setObject(i + 1, parameters[i]);
            }
            insert.executeUpdate();
        }
    }

    private static void requireWorkspaceKind(OutboxKind kind) {
        if (kind.workspaceChange().isEmpty()) {
            throw new IllegalArgumentException(kind + " is not a workspace event");
        }
    }

    private static void requireDeviceKind(OutboxKind kind) {
        if (kind != OutboxKind.DEVICE_REGISTERED && kind != OutboxKind.DEVICE_REVOKED) {
            throw new IllegalArgumentException(kind + " is not a device event");
        }
    }
}
