package org.syncservice.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.store.jdbc.JdbcAccountStore;
import org.syncservice.server.testing.TestDatabase;

class TokenAuthenticatorTest {
    private static TestDatabase database;
    private final DeviceTokens tokens = new DeviceTokens(new SecureRandom());

    @BeforeAll
    static void setUp() throws SQLException {
        database = TestDatabase.create();
    }

    @AfterAll
    static void tearDown() throws SQLException {
        database.close();
    }

    private static TokenAuthenticator authenticator() {
        return new TokenAuthenticator(new JdbcAccountStore(database.dataSource()), Duration.ofMinutes(5), 1000);
    }

    private static ServiceException.Kind kindOf(Runnable action) {
        try {
            action.run();
        } catch (ServiceException e) {
            return e.kind();
        }
        throw new AssertionError("expected a ServiceException");
    }

    /** A user with one device whose token has the given hash; returns the device id. */
    private static UUID insertDevice(TokenHash hash) throws SQLException {
        UUID userId = UUID.randomUUID();
        UUID deviceId = UUID.randomUUID();
        try (Connection c = database.dataSource().getConnection()) {
            try (PreparedStatement user = c.prepareStatement(
                    "INSERT INTO users (user_id, email, name, password_hash, quota_limit_bytes) VALUES (?, ?, 'n', 'x', 0)")) {
                user.setObject(1, userId);
                user.setString(2, userId + "@example.org");
                user.executeUpdate();
            }
            try (PreparedStatement device = c.prepareStatement(
                    "INSERT INTO devices (device_id, user_id, name, token_hash) VALUES (?, ?, 'd', ?)")) {
                device.setObject(1, deviceId);
                device.setObject(2, userId);
                device.setBytes(3, hash.bytes());
                device.executeUpdate();
            }
        }
        return deviceId;
    }

    private static void sql(String statement, UUID deviceId) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(statement)) {
            s.setObject(1, deviceId);
            s.executeUpdate();
        }
    }

    private static boolean lastSeenIsSet(UUID deviceId) throws SQLException {
        return query("SELECT last_seen_at IS NOT NULL FROM devices WHERE device_id = ?", deviceId);
    }

    private static boolean seenWithinTheLastMinute(UUID deviceId) throws SQLException {
        return query("SELECT last_seen_at > now() - interval '1 minute' FROM devices WHERE device_id = ?", deviceId);
    }

    private static boolean query(String booleanQuery, UUID deviceId) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement(booleanQuery)) {
            s.setObject(1, deviceId);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    @Test
    void aRegisteredDevicesTokenAuthenticatesItsUserAndDevice() throws SQLException {
        String token = tokens.issue();
        UUID deviceId = insertDevice(TokenHash.of(token));

        assertThat(authenticator().authenticate(token).deviceId()).isEqualTo(deviceId);
    }

    @Test
    void aTokenExpiresOnceItsDeviceWentUnseenForTheIdleLifetimeAndEachUseRenewsIt() throws SQLException {
        String token = tokens.issue();
        UUID deviceId = insertDevice(TokenHash.of(token));
        TokenAuthenticator expiring = new TokenAuthenticator(new JdbcAccountStore(database.dataSource()),
                Duration.ofSeconds(1), 1000, Duration.ofDays(90), java.time.Clock.systemUTC());
        sql("UPDATE devices SET last_seen_at = now() - interval '89 days' WHERE device_id = ?", deviceId);
        assertThat(expiring.authenticate(token).deviceId()).as("used within the lifetime").isEqualTo(deviceId);
        assertThat(seenWithinTheLastMinute(deviceId)).as("the use renewed the token").isTrue();

        String other = tokens.issue();
        UUID unused = insertDevice(TokenHash.of(other));
        sql("UPDATE devices SET last_seen_at = now() - interval '91 days' WHERE device_id = ?", unused);
        try {
            expiring.authenticate(other);
            throw new AssertionError("an expired token authenticated");
        } catch (ServiceException e) {
            assertThat(e.kind()).isEqualTo(ServiceException.Kind.UNAUTHENTICATED);
            assertThat(e.getMessage()).contains("expired").contains("log in again");
        }
        assertThat(authenticator().authenticate(other).deviceId()).as("a lifetime of zero never expires")
                .isEqualTo(unused);
    }

    @Test
    void malformedAndUnknownTokensAreUnauthenticated() {
        TokenAuthenticator authenticator = authenticator();

        assertThat(kindOf(() -> authenticator.authenticate("not-a-token"))).isEqualTo(ServiceException.Kind.UNAUTHENTICATED);
        assertThat(kindOf(() -> authenticator.authenticate(tokens.issue()))).isEqualTo(ServiceException.Kind.UNAUTHENTICATED);
    }

    @Test
    void anUnknownTokenIsNotRememberedAsUnknown() throws SQLException {
        TokenAuthenticator authenticator = authenticator();
        String token = tokens.issue();
        assertThat(kindOf(() -> authenticator.authenticate(token))).isEqualTo(ServiceException.Kind.UNAUTHENTICATED);

        UUID deviceId = insertDevice(TokenHash.of(token));

        assertThat(authenticator.authenticate(token).deviceId()).isEqualTo(deviceId);
    }

    @Test
    void aCachedTokenIsRefusedAtOnceWhenThisInstanceIsToldOfItsRevocation() throws SQLException {
        TokenAuthenticator authenticator = authenticator();
        String token = tokens.issue();
        UUID deviceId = insertDevice(TokenHash.of(token));
        authenticator.authenticate(token);
        sql("UPDATE devices SET revoked_at = now(), token_hash = NULL WHERE device_id = ?", deviceId);

        // Revoked behind this instance's back: the cache still answers, within its TTL.
        assertThat(authenticator.authenticate(token).deviceId()).isEqualTo(deviceId);

        authenticator.revoked(TokenHash.of(token));
        assertThat(kindOf(() -> authenticator.authenticate(token))).isEqualTo(ServiceException.Kind.UNAUTHENTICATED);
    }

    @Test
    void lastSeenIsWrittenAtMostOncePerMinutePerDevice() throws SQLException {
        TokenAuthenticator authenticator = authenticator();
        String token = tokens.issue();
        UUID deviceId = insertDevice(TokenHash.of(token));

        authenticator.authenticate(token);
        assertThat(lastSeenIsSet(deviceId)).isTrue();

        sql("UPDATE devices SET last_seen_at = NULL WHERE device_id = ?", deviceId);
        authenticator.authenticate(token);
        assertThat(lastSeenIsSet(deviceId)).isFalse();
    }

    @Test
    void anUnreachableDatabaseIsUnavailable() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setUrl("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
        TokenAuthenticator authenticator = new TokenAuthenticator(new JdbcAccountStore(nowhere), Duration.ofMinutes(5), 10);

        assertThat(kindOf(() -> authenticator.authenticate(tokens.issue()))).isEqualTo(ServiceException.Kind.UNAVAILABLE);
    }
}
