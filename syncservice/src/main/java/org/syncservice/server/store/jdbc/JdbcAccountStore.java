package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.syncservice.server.account.Account;
import org.syncservice.server.account.AccountStore;
import org.syncservice.server.account.DeletedUser;
import org.syncservice.server.account.DeviceDetails;
import org.syncservice.server.account.DeviceInfo;
import org.syncservice.server.account.NewDevice;
import org.syncservice.server.account.NewUser;
import org.syncservice.server.account.Revocation;
import org.syncservice.server.account.SignOut;
import org.syncservice.server.account.TokenRotation;
import org.syncservice.server.account.UserCredentials;
import org.syncservice.server.account.UserSummary;
import org.syncservice.server.auth.ActiveDevice;
import org.syncservice.server.auth.DeviceCredentialStore;
import org.syncservice.server.auth.TokenHash;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.core.Principal;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.workspace.NewWorkspace;

/** Users and devices in PostgreSQL. Thread-safe: every call takes its own pooled connection. */
public final class JdbcAccountStore implements AccountStore, DeviceCredentialStore {
    private static final String DEVICE_COLUMNS =
            "device_id, name, os, app_version, last_ip, last_seen_at, registered_at";

    private final Transactions tx;

    public JdbcAccountStore(DataSource dataSource) {
        this.tx = new Transactions(dataSource);
    }

    @Override
    public boolean createUser(NewUser user, NewWorkspace workspace) {
        return tx.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO users (user_id, email, name, password_hash, quota_limit_bytes) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (email) DO NOTHING")) {
                insert.setObject(1, user.userId());
                insert.setString(2, user.email());
                insert.setString(3, user.name());
                insert.setString(4, user.passwordHash());
                insert.setLong(5, user.quotaLimitBytes());
                if (insert.executeUpdate() == 0) {
                    return false;
                }
            }
            WorkspaceRows.insert(c, workspace);
            return true;
        });
    }

    @Override
    public Optional<UserCredentials> findCredentials(String email) {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT user_id, password_hash FROM users WHERE email = ?")) {
                select.setString(1, email);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new UserCredentials(rows.getObject(1, UUID.class), rows.getString(2)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Account> findAccount(UUID userId) {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT name, email, quota_limit_bytes, quota_used_bytes FROM users WHERE user_id = ?")) {
                select.setObject(1, userId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new Account(userId, rows.getString(1), rows.getString(2), rows.getLong(3),
                                    rows.getLong(4)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<String> passwordHash(UUID userId) {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT password_hash FROM users WHERE user_id = ?")) {
                select.setObject(1, userId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<List<TokenHash>> setPassword(UUID userId, Optional<String> expectedHash, String newHash,
                                                 SignOut signOut) {
        // Its retry finds the new hash set (the caller recognises the new password) and the
        // devices signed out already: the same state.
        return tx.inTransaction(StoredAnswers.naturallyIdempotent(), c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE users SET password_hash = ?"
                    + " WHERE user_id = ? AND (?::text IS NULL OR password_hash = ?::text)")) {
                update.setString(1, newHash);
                update.setObject(2, userId);
                update.setString(3, expectedHash.orElse(null));
                update.setString(4, expectedHash.orElse(null));
                if (update.executeUpdate() != 1) {
                    return Optional.empty();
                }
            }
            List<TokenHash> signedOut = new ArrayList<>();
            if (signOut.devices()) {
                try (PreparedStatement clear = c.prepareStatement("UPDATE devices d SET token_hash = NULL"
                        + " FROM devices old WHERE old.device_id = d.device_id AND d.user_id = ?"
                        + " AND d.revoked_at IS NULL AND d.token_hash IS NOT NULL AND d.device_id IS DISTINCT FROM ?"
                        + " RETURNING old.token_hash, d.device_id")) {
                    clear.setObject(1, userId);
                    clear.setObject(2, signOut.except().orElse(null));
                    List<UUID> devices = new ArrayList<>();
                    try (ResultSet rows = clear.executeQuery()) {
                        while (rows.next()) {
                            signedOut.add(TokenHash.fromBytes(rows.getBytes(1)));
                            devices.add(rows.getObject(2, UUID.class));
                        }
                    }
                    // Signed out, a device gets no fresh broker token either (it needs its device token).
                    DisconnectRows.request(c, devices);
                }
            }
            return Optional.of(signedOut);
        });
    }

    @Override
    public Optional<TokenRotation> registerDevice(NewDevice device) {
        return tx.inTransaction(StoredAnswers.naturallyIdempotent(), c -> {
            // A retry finds the device the first attempt registered. Two attempts racing: one
            // inserts, the other's insert does nothing and it then finds (and locks) that row.
            for (int attempt = 0; attempt < 2; attempt++) {
                Optional<Optional<TokenRotation>> existing = rotateRegistered(c, device);
                if (existing.isPresent()) {
                    return existing.get();
                }
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO devices (device_id, user_id, name, os, app_version, token_hash,"
                                + " registration_request_id, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, now())"
                                + " ON CONFLICT (user_id, registration_request_id) DO NOTHING")) {
                    insert.setObject(1, device.deviceId());
                    insert.setObject(2, device.userId());
                    insert.setString(3, device.name());
                    insert.setString(4, device.os());
                    insert.setString(5, device.appVersion());
                    insert.setBytes(6, device.tokenHash().bytes());
                    insert.setString(7, device.registrationRequestId());
                    if (insert.executeUpdate() == 1) {
                        // Only the first registration: a retried login finds the device above.
                        OutboxRows.device(c, OutboxKind.DEVICE_REGISTERED, device.userId(), device.deviceId());
                        return Optional.of(new TokenRotation(device.deviceId(), Optional.empty(), true));
                    }
                }
            }
            throw new IllegalStateException("device registration neither inserted nor found its row");
        });
    }

    /**
     * The device registered by the same (user, request id), given the new token; empty when there
     * is none; a present but empty result when it was unregistered since.
     */
    private static Optional<Optional<TokenRotation>> rotateRegistered(Connection c, NewDevice device)
            throws SQLException {
        UUID deviceId;
        Optional<TokenHash> previous;
        try (PreparedStatement select = c.prepareStatement(
                "SELECT device_id, token_hash, revoked_at IS NOT NULL FROM devices"
                        + " WHERE user_id = ? AND registration_request_id = ? FOR UPDATE")) {
            select.setObject(1, device.userId());
            select.setString(2, device.registrationRequestId());
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                if (rows.getBoolean(3)) {
                    return Optional.of(Optional.empty());
                }
                deviceId = rows.getObject(1, UUID.class);
                previous = hash(rows.getBytes(2));
            }
        }
        setToken(c, deviceId, device.tokenHash());
        return Optional.of(Optional.of(new TokenRotation(deviceId, previous, false)));
    }

    @Override
    public Optional<TokenRotation> rotateToken(UUID userId, UUID deviceId, TokenHash newToken, DeviceDetails details) {
        return tx.inTransaction(StoredAnswers.naturallyIdempotent(), c -> {
            Optional<TokenHash> previous;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT token_hash FROM devices WHERE device_id = ? AND user_id = ? AND revoked_at IS NULL"
                            + " FOR UPDATE")) {
                select.setObject(1, deviceId);
                select.setObject(2, userId);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    previous = hash(rows.getBytes(1));
                }
            }
            setToken(c, deviceId, newToken);
            applyDetails(c, userId, deviceId, details);
            return Optional.of(new TokenRotation(deviceId, previous, false));
        });
    }

    private static void setToken(Connection c, UUID deviceId, TokenHash token) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE devices SET token_hash = ?, last_seen_at = now() WHERE device_id = ?")) {
            update.setBytes(1, token.bytes());
            update.setObject(2, deviceId);
            update.executeUpdate();
        }
    }

    @Override
    public Optional<DeviceInfo> updateDevice(UUID userId, UUID deviceId, DeviceDetails details) {
        return tx.inTransaction(StoredAnswers.naturallyIdempotent(), c -> applyDetails(c, userId, deviceId, details));
    }

    private static Optional<DeviceInfo> applyDetails(Connection c, UUID userId, UUID deviceId, DeviceDetails details)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE devices SET name = COALESCE(?, name), os = COALESCE(?, os),"
                        + " app_version = COALESCE(?, app_version), last_seen_at = now()"
                        + " WHERE device_id = ? AND user_id = ? AND revoked_at IS NULL RETURNING " + DEVICE_COLUMNS)) {
            update.setString(1, details.name().orElse(null));
            update.setString(2, details.os().orElse(null));
            update.setString(3, details.appVersion().orElse(null));
            update.setObject(4, deviceId);
            update.setObject(5, userId);
            try (ResultSet rows = update.executeQuery()) {
                return rows.next() ? Optional.of(device(rows)) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<Revocation> revokeDevice(UUID userId, UUID deviceId) {
        // Its retry finds the device revoked and answers as the first did.
        return tx.inTransaction(StoredAnswers.naturallyIdempotent(), c -> {
            Optional<TokenHash> previous;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT token_hash, revoked_at IS NOT NULL FROM devices WHERE device_id = ? AND user_id = ?"
                            + " FOR UPDATE")) {
                select.setObject(1, deviceId);
                select.setObject(2, userId);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    if (rows.getBoolean(2)) {
                        return Optional.of(new Revocation(Optional.empty(), true));
                    }
                    previous = hash(rows.getBytes(1));
                }
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE devices SET revoked_at = now(), token_hash = NULL WHERE device_id = ?")) {
                update.setObject(1, deviceId);
                update.executeUpdate();
            }
            OutboxRows.device(c, OutboxKind.DEVICE_REVOKED, userId, deviceId);
            DisconnectRows.request(c, List.of(deviceId));
            return Optional.of(new Revocation(previous, false));
        });
    }

    @Override
    public List<DeviceInfo> listDevices(UUID userId) {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + DEVICE_COLUMNS
                    + " FROM devices WHERE user_id = ? AND revoked_at IS NULL ORDER BY registered_at, device_id")) {
                select.setObject(1, userId);
                List<DeviceInfo> devices = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        devices.add(device(rows));
                    }
                }
                return devices;
            }
        });
    }

    @Override
    public Optional<ActiveDevice> findActiveDevice(TokenHash tokenHash) {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT user_id, device_id,"
                    + " COALESCE(last_seen_at, registered_at) FROM devices WHERE token_hash = ? AND revoked_at IS NULL")) {
                select.setBytes(1, tokenHash.bytes());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next()
                            ? Optional.of(new ActiveDevice(new Principal(rows.getObject(1, UUID.class),
                                    rows.getObject(2, UUID.class)), rows.getTimestamp(3).toInstant()))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public void recordSeen(UUID deviceId) {
        tx.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE devices SET last_seen_at = now() WHERE device_id = ? AND revoked_at IS NULL")) {
                update.setObject(1, deviceId);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public Optional<UUID> findUserId(String email) {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT user_id FROM users WHERE email = ?")) {
                select.setString(1, email);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getObject(1, UUID.class)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<UserSummary> listUsers() {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT u.user_id, u.email, u.name, u.quota_used_bytes, u.quota_limit_bytes, u.created_at,"
                            + " (SELECT count(*) FROM devices d WHERE d.user_id = u.user_id AND d.revoked_at IS NULL),"
                            + " (SELECT count(*) FROM workspaces w WHERE w.owner_id = u.user_id)"
                            + " FROM users u ORDER BY u.email");
                 ResultSet rows = select.executeQuery()) {
                List<UserSummary> users = new ArrayList<>();
                while (rows.next()) {
                    users.add(new UserSummary(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                            rows.getLong(4), rows.getLong(5), rows.getInt(7), rows.getInt(8),
                            rows.getTimestamp(6).toInstant()));
                }
                return users;
            }
        });
    }

    @Override
    public boolean setQuotaLimit(UUID userId, long quotaLimitBytes) {
        return tx.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE users SET quota_limit_bytes = ? WHERE user_id = ?")) {
                update.setLong(1, quotaLimitBytes);
                update.setObject(2, userId);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<DeletedUser> deleteUser(UUID userId) {
        return tx.inTransaction(c -> {
            String email;
            // The user row first: a commit in progress holds it (quota), so this waits for it.
            try (PreparedStatement lock = c.prepareStatement(
                    "SELECT email FROM users WHERE user_id = ? FOR UPDATE")) {
                lock.setObject(1, userId);
                try (ResultSet rows = lock.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    email = rows.getString(1);
                }
            }
            List<StorageLocation> storage = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT storage_backend, storage_container, storage_prefix FROM workspaces"
                            + " WHERE owner_id = ? ORDER BY workspace_id FOR UPDATE")) {
                select.setObject(1, userId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        storage.add(new StorageLocation(StorageConfig.Backend.valueOf(rows.getString(1)),
                                rows.getString(2), rows.getString(3)));
                    }
                }
            }
            // Explicit deletes, children first, rather than relying on cascades: the counts are
            // reported, and the order is the same every time.
            long items = update(c, "DELETE FROM items WHERE workspace_id IN"
                    + " (SELECT workspace_id FROM workspaces WHERE owner_id = ?)", userId);
            update(c, "DELETE FROM outbox WHERE published_at IS NULL AND (user_id = ? OR workspace_id IN"
                    + " (SELECT workspace_id FROM workspaces WHERE owner_id = ?))", userId, userId);
            announceDeletion(c, userId);
            update(c, "DELETE FROM request_log WHERE device_id IN (SELECT device_id FROM devices WHERE user_id = ?)",
                    userId);
            DisconnectRows.requestForEach(c, "SELECT device_id FROM devices WHERE user_id = ? AND revoked_at IS NULL",
                    userId);
            int devices = (int) update(c, "DELETE FROM devices WHERE user_id = ?", userId);
            update(c, "DELETE FROM workspace_members WHERE user_id = ? OR workspace_id IN"
                    + " (SELECT workspace_id FROM workspaces WHERE owner_id = ?)", userId, userId);
            int workspaces = (int) update(c, "DELETE FROM workspaces WHERE owner_id = ?", userId);
            update(c, "DELETE FROM users WHERE user_id = ?", userId);
            return Optional.of(new DeletedUser(userId, email, devices, workspaces, items, storage));
        });
    }

    /**
     * The notifications of a user's deletion, written while the rows they are built from still
     * exist, and built only from what stays: each other member of a workspace the user owns is told
     * it is gone (UNSHARED needs only the ids in the row and the member's devices); each other
     * member of a workspace the user belongs to, that its members changed; and each of the user's
     * devices is revoked, so its queue (bound to workspaces of others) is deleted.
     */
    private static void announceDeletion(Connection c, UUID userId) throws SQLException {
        OutboxRows.workspaceForEach(c, OutboxKind.WORKSPACE_UNSHARED, "SELECT m.workspace_id,"
                + " m.user_id FROM workspace_members m JOIN workspaces w USING (workspace_id)"
                + " WHERE w.owner_id = ? AND m.user_id <> w.owner_id ORDER BY m.workspace_id, m.user_id", userId);
        OutboxRows.workspaceForEach(c, OutboxKind.MEMBERS_CHANGED, "SELECT m.workspace_id,"
                + " m.user_id FROM workspace_members m JOIN workspaces w USING (workspace_id)"
                + " WHERE w.owner_id <> ? AND m.user_id <> ? AND m.workspace_id IN"
                + " (SELECT workspace_id FROM workspace_members WHERE user_id = ?)"
                + " ORDER BY m.workspace_id, m.user_id", userId, userId, userId);
        OutboxRows.deviceForEach(c, OutboxKind.DEVICE_REVOKED, "SELECT user_id, device_id"
                + " FROM devices WHERE user_id = ? AND revoked_at IS NULL ORDER BY registered_at, device_id", userId);
    }

    private static long update(Connection c, String sql, UUID... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeLargeUpdate();
        }
    }

    private static DeviceInfo device(ResultSet rows) throws SQLException {
        Timestamp lastSeen = rows.getTimestamp("last_seen_at");
        return new DeviceInfo(
                rows.getObject("device_id", UUID.class),
                rows.getString("name"),
                rows.getString("os"),
                rows.getString("app_version"),
                Optional.ofNullable(rows.getString("last_ip")),
                Optional.ofNullable(lastSeen).map(Timestamp::toInstant),
                rows.getTimestamp("registered_at").toInstant());
    }

    private static Optional<TokenHash> hash(byte[] bytes) {
        return bytes == null ? Optional.empty() : Optional.of(TokenHash.fromBytes(bytes));
    }
}
