package org.syncservice.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.testing.TestDatabase;

/** A password stored with older parameters is hashed again at the next login, with today's. */
class PasswordUpgradeTest {
    private static TestDatabase database;

    @BeforeAll
    static void setUp() throws SQLException {
        database = TestDatabase.create();
    }

    @AfterAll
    static void tearDown() throws SQLException {
        database.close();
    }

    @Test
    void aLoginRehashesAPasswordStoredWithAnotherIterationCountAndThePasswordStillWorks() throws SQLException {
        AccountService before = TestComponents.create(database, Map.of("auth.password-hash-iterations", "10000"))
                .accounts();
        String email = "upgrade-" + UUID.randomUUID() + "@example.org";
        UUID userId = before.createUser(email, "Up", "an old password", 0).userId();
        assertThat(storedHash(userId)).startsWith("pbkdf2-sha256$10000$");

        AccountService after = TestComponents.create(database, Map.of("auth.password-hash-iterations", "20000"))
                .accounts();
        assertThatThrownBy(() -> after.login(attempt(email, "wrong password"))).isInstanceOf(ServiceException.class);
        assertThat(storedHash(userId)).as("a failed login changes nothing").startsWith("pbkdf2-sha256$10000$");

        after.login(attempt(email, "an old password"));
        String upgraded = storedHash(userId);
        assertThat(upgraded).startsWith("pbkdf2-sha256$20000$");

        after.login(attempt(email, "an old password"));
        assertThat(storedHash(userId)).as("a hash made with today's parameters stays").isEqualTo(upgraded);
        before.login(attempt(email, "an old password"));
        assertThat(storedHash(userId)).as("an instance configured lower (mid-upgrade, say) keeps the stronger hash")
                .isEqualTo(upgraded);
    }

    private static LoginAttempt attempt(String email, String password) {
        return new LoginAttempt(email, password, Optional.empty(), "laptop", "linux", "1.0",
                UUID.randomUUID().toString());
    }

    private static String storedHash(UUID userId) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT password_hash FROM users WHERE user_id = ?")) {
            select.setObject(1, userId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }
}
