package org.syncservice.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.testing.TestDatabase;

class AccountServiceTest {
    private static TestDatabase database;
    private static ServiceComponents components;
    private static AccountService accounts;

    @BeforeAll
    static void setUp() throws SQLException {
        database = TestDatabase.create();
        components = TestComponents.create(database);
        accounts = components.accounts();
    }

    @AfterAll
    static void tearDown() throws SQLException {
        database.close();
    }

    private static String newEmail() {
        return "user-" + UUID.randomUUID() + "@example.org";
    }

    private static LoginAttempt login(String email, String password, String requestId) {
        return new LoginAttempt(email, password, Optional.empty(), "laptop", "linux", "1.0", requestId);
    }

    private static ServiceException.Kind kindOf(Runnable action) {
        try {
            action.run();
        } catch (ServiceException e) {
            return e.kind();
        }
        throw new AssertionError("expected a ServiceException");
    }

    @Test
    void createUserMakesTheUserAndTheirDefaultWorkspaceOwnedByThem() {
        String email = newEmail();
        CreatedUser user = accounts.createUser(email.toUpperCase(), "Ann", "pw-ann", 1000);

        Account account = accounts.accountInfo(user.userId());
        assertThat(account).isEqualTo(new Account(user.userId(), "Ann", email, 1000, 0));
        var workspaces = components.workspaces().list(user.userId());
        assertThat(workspaces).singleElement().satisfies(w -> {
            assertThat(w.workspaceId()).isEqualTo(user.defaultWorkspaceId());
            assertThat(w.isDefault()).isTrue();
            assertThat(w.name()).isEqualTo(AccountService.DEFAULT_WORKSPACE_NAME);
            assertThat(w.mountPoint()).isEmpty();
            assertThat(w.ownerId()).isEqualTo(user.userId());
            assertThat(w.ownerName()).isEqualTo("Ann");
            assertThat(w.storage().prefix()).isEqualTo(user.defaultWorkspaceId() + "/");
        });
    }

    @Test
    void aSecondUserWithTheSameEmailIsAConflictAndCreatesNothing() throws SQLException {
        String email = newEmail();
        accounts.createUser(email, "Ann", "pw", 0);
        long usersBefore = count("SELECT count(*) FROM users");

        assertThatThrownBy(() -> accounts.createUser(email.toUpperCase(), "Other", "pw", 0))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ServiceException.Kind.CONFLICT);
                    assertThat(e.getMessage()).isEqualTo("a user with email " + email + " exists");
                });
        assertThat(count("SELECT count(*) FROM users")).isEqualTo(usersBefore);
        assertThat(count("SELECT count(*) FROM workspaces")).isEqualTo(usersBefore);
    }

    @Test
    void loginRegistersADeviceWhoseTokenAuthenticatesIt() {
        String email = newEmail();
        CreatedUser user = accounts.createUser(email, "Bo", "pw-bo", 0);

        LoginResult result = accounts.login(login(email.toUpperCase(), "pw-bo", "req-1"));

        assertThat(result.userId()).isEqualTo(user.userId());
        assertThat(result.registered()).isTrue();
        assertThat(result.account().email()).isEqualTo(email);
        var principal = components.authenticator().authenticate(result.token());
        assertThat(principal.userId()).isEqualTo(user.userId());
        assertThat(principal.deviceId()).isEqualTo(result.deviceId());
        assertThat(accounts.listDevices(user.userId())).singleElement()
                .satisfies(d -> assertThat(d.name()).isEqualTo("laptop"));
    }

    @Test
    void aRetriedLoginWithTheSameRequestIdFindsTheSameDeviceWithAFreshToken() {
        String email = newEmail();
        CreatedUser user = accounts.createUser(email, "Cy", "pw", 0);

        LoginResult first = accounts.login(login(email, "pw", "same-request"));
        LoginResult retry = accounts.login(login(email, "pw", "same-request"));

        assertThat(retry.deviceId()).isEqualTo(first.deviceId());
        assertThat(retry.token()).isNotEqualTo(first.token());
        assertThat(accounts.listDevices(user.userId())).hasSize(1);
        assertThat(kindOf(() -> components.authenticator().authenticate(first.token())))
                .isEqualTo(ServiceException.Kind.UNAUTHENTICATED);
        assertThat(components.authenticator().authenticate(retry.token()).deviceId()).isEqualTo(first.deviceId());
    }

    @Test
    void concurrentRetriesOfOneRegistrationCreateOneDevice() throws Exception {
        String email = newEmail();
        CreatedUser user = accounts.createUser(email, "Di", "pw", 0);
        // All six check the password at once: the race is in the registration after it.
        AccountService racing = TestComponents.create(database, Map.of("auth.concurrent-password-checks", "6"))
                .accounts();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<LoginResult>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(() -> racing.login(login(email, "pw", "raced-request")));
            }
            List<UUID> devices = new ArrayList<>();
            for (Future<LoginResult> result : pool.invokeAll(calls)) {
                devices.add(result.get().deviceId());
            }
            assertThat(devices).containsOnly(devices.get(0));
            assertThat(accounts.listDevices(user.userId())).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDifferentRequestIdRegistersAnotherDevice() {
        String email = newEmail();
        CreatedUser user = accounts.createUser(email, "Ed", "pw", 0);

        accounts.login(login(email, "pw", "r-a"));
        accounts.login(login(email, "pw", "r-b"));

        assertThat(accounts.listDevices(user.userId())).hasSize(2);
    }

    @Test
    void wrongPasswordAndUnknownEmailFailAlike() {
        String email = newEmail();
        accounts.createUser(email, "Flo", "right", 0);

        Throwable wrongPassword = catchFailure(() -> accounts.login(login(email, "wrong", "r1")));
        Throwable unknownEmail = catchFailure(() -> accounts.login(login(newEmail(), "right", "r2")));

        assertThat(wrongPassword).isInstanceOfSatisfying(ServiceException.class,
                e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.UNAUTHENTICATED));
        assertThat(unknownEmail).isInstanceOfSatisfying(ServiceException.class,
                e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.UNAUTHENTICATED));
        assertThat(wrongPassword.getMessage()).isEqualTo(unknownEmail.getMessage()).isEqualTo("wrong email or password");
    }

    private static Throwable catchFailure(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void loggingInAgainOnADeviceRotatesItsTokenAndUpdatesItsDescription() {
        String email = newEmail();
        CreatedUser user = accounts.createUser(email, "Gus", "pw", 0);
        LoginResult first = accounts.login(login(email, "pw", "r1"));

        LoginResult again = accounts.login(new LoginAttempt(email, "pw", Optional.of(first.deviceId()), "", "",
                "2.0", "r2"));

        assertThat(again.deviceId()).isEqualTo(first.deviceId());
        assertThat(again.registered()).isFalse();
        assertThat(kindOf(() -> components.authenticator().authenticate(first.token())))
                .isEqualTo(ServiceException.Kind.UNAUTHENTICATED);
        assertThat(accounts.listDevices(user.userId())).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("laptop");
            assertThat(d.appVersion()).isEqualTo("2.0");
        });
    }

    @Test
    void loggingInOnAnotherUsersDeviceIsNotFound() {
        String ann = newEmail();
        String bob = newEmail();
        accounts.createUser(ann, "Ann", "pw", 0);
        accounts.createUser(bob, "Bob", "pw", 0);
        LoginResult annDevice = accounts.login(login(ann, "pw", "r1"));

        assertThat(kindOf(() -> accounts.login(new LoginAttempt(bob, "pw", Optional.of(annDevice.deviceId()), "",
                "", "", "r2")))).isEqualTo(ServiceException.Kind.NOT_FOUND);
        assertThat(components.authenticator().authenticate(annDevice.token()).deviceId())
                .isEqualTo(annDevice.deviceId());
    }

    @Test
    void badDeviceDescriptionsAreRefusedNamingTheField() {
        String email = newEmail();
        accounts.createUser(email, "Hal", "pw", 0);

        assertThatThrownBy(() -> accounts.login(new LoginAttempt(email, "pw", Optional.empty(), "x".repeat(256), "",
                "", "r1"))).isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ServiceException.Kind.INVALID_ARGUMENT);
                    assertThat(e.field()).isEqualTo("login.device_name");
                });
        assertThatThrownBy(() -> accounts.login(new LoginAttempt(email, "pw", Optional.empty(), "a", "l\ninux", "",
                "r2"))).isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.field()).isEqualTo("login.os"));
    }

    @Test
    void anEmptyDeviceNameRegistersTheDefaultName() {
        String email = newEmail();
        CreatedUser user = accounts.createUser(email, "Ida", "pw", 0);

        accounts.login(new LoginAttempt(email, "pw", Optional.empty(), "", "", "", "r1"));

        assertThat(accounts.listDevices(user.userId())).singleElement()
                .satisfies(d -> assertThat(d.name()).isEqualTo(DeviceFields.DEFAULT_NAME));
    }

    @Test
    void unregisteringADeviceRefusesItsTokenAtOnceAndIsIdempotent() throws SQLException {
        String email = newEmail();
        CreatedUser user = accounts.createUser(email, "Jo", "pw", 0);
        LoginResult phone = accounts.login(login(email, "pw", "r1"));
        LoginResult laptop = accounts.login(login(email, "pw", "r2"));
        components.authenticator().authenticate(phone.token()); // now cached

        accounts.unregisterDevice(user.userId(), phone.deviceId());
        accounts.unregisterDevice(user.userId(), phone.deviceId());

        assertThat(kindOf(() -> components.authenticator().authenticate(phone.token())))
                .isEqualTo(ServiceException.Kind.UNAUTHENTICATED);
        assertThat(accounts.listDevices(user.userId())).extracting(DeviceInfo::deviceId)
                .containsExactly(laptop.deviceId());
        assertThat(count("SELECT count(*) FROM devices WHERE device_id = '" + phone.deviceId()
                + "' AND revoked_at IS NOT NULL AND token_hash IS NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE kind = 'DEVICE_REVOKED' AND device_id = '"
                + phone.deviceId() + "'")).isEqualTo(1);
    }

    @Test
    void aUserCannotUnregisterAnotherUsersDevice() {
        String ann = newEmail();
        String bob = newEmail();
        CreatedUser annUser = accounts.createUser(ann, "Ann", "pw", 0);
        CreatedUser bobUser = accounts.createUser(bob, "Bob", "pw", 0);
        LoginResult annDevice = accounts.login(login(ann, "pw", "r1"));

        assertThat(kindOf(() -> accounts.unregisterDevice(bobUser.userId(), annDevice.deviceId())))
                .isEqualTo(ServiceException.Kind.NOT_FOUND);
        assertThat(kindOf(() -> accounts.unregisterDevice(bobUser.userId(), UUID.randomUUID())))
                .isEqualTo(ServiceException.Kind.NOT_FOUND);
        assertThat(accounts.listDevices(annUser.userId())).hasSize(1);
        assertThat(components.authenticator().authenticate(annDevice.token()).deviceId())
                .isEqualTo(annDevice.deviceId());
    }

    @Test
    void updateDeviceChangesOnlyTheGivenFields() {
        String email = newEmail();
        CreatedUser user = accounts.createUser(email, "Kim", "pw", 0);
        LoginResult device = accounts.login(login(email, "pw", "r1"));

        DeviceInfo updated = accounts.updateDevice(user.userId(), device.deviceId(),
                new DeviceDetails(Optional.of("desktop"), Optional.empty(), Optional.of("1.1")));

        assertThat(updated.name()).isEqualTo("desktop");
        assertThat(updated.os()).isEqualTo("linux");
        assertThat(updated.appVersion()).isEqualTo("1.1");
        assertThat(updated.lastSeenAt()).isPresent();
        assertThat(updated.lastIp()).isEmpty();
        assertThat(kindOf(() -> accounts.updateDevice(user.userId(), device.deviceId(),
                new DeviceDetails(Optional.of(""), Optional.empty(), Optional.empty()))))
                .isEqualTo(ServiceException.Kind.INVALID_ARGUMENT);
    }

    @Test
    void passwordsAndTokensAreNeverStoredInPlainText() throws SQLException {
        String email = newEmail();
        String password = "plain-" + UUID.randomUUID();
        accounts.createUser(email, "Lu", password, 0);
        LoginResult device = accounts.login(login(email, password, "r1"));

        try (Connection c = database.dataSource().getConnection();
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT u.*::text, d.*::text, encode(d.token_hash, 'base64'),"
                     + " encode(d.token_hash, 'escape') FROM users u JOIN devices d USING (user_id)"
                     + " WHERE u.email = '" + email + "'")) {
            assertThat(rows.next()).isTrue();
            for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                assertThat(rows.getString(i)).doesNotContain(password).doesNotContain(device.token());
            }
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
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
        assertThatThrownBy(() -> after.login(login(email, "wrong password", UUID.randomUUID().toString())))
                .isInstanceOf(ServiceException.class);
        assertThat(storedHash(userId)).as("a failed login changes nothing").startsWith("pbkdf2-sha256$10000$");

        after.login(login(email, "an old password", UUID.randomUUID().toString()));
        String upgraded = storedHash(userId);
        assertThat(upgraded).startsWith("pbkdf2-sha256$20000$");

        after.login(login(email, "an old password", UUID.randomUUID().toString()));
        assertThat(storedHash(userId)).as("a hash made with today's parameters stays").isEqualTo(upgraded);
        before.login(login(email, "an old password", UUID.randomUUID().toString()));
        assertThat(storedHash(userId)).as("an instance configured lower (mid-upgrade, say) keeps the stronger hash")
                .isEqualTo(upgraded);
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
