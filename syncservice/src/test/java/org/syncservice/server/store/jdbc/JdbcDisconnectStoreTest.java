package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.account.AccountService;
import org.syncservice.server.account.LoginAttempt;
import org.syncservice.server.account.LoginResult;
import org.syncservice.server.notify.DisconnectStore;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.testing.TestDatabase;

/**
 * Every way a device loses its credentials asks for its broker connections to be closed, in the
 * same transaction: unregister/revoke-device, delete-user, change_password and reset-password's
 * sign-out. A revoked device waits until its DeviceRevoked went out, and is forgotten only by the
 * sweep of its latest request.
 */
class JdbcDisconnectStoreTest {
    private static final Duration LIFETIME = Duration.ofSeconds(5);
    private TestDatabase database;
    private AccountService accounts;
    private JdbcDisconnectStore store;

    @BeforeEach
    void setUp() throws SQLException {
        database = TestDatabase.create();
        ServiceComponents components = TestComponents.create(database);
        accounts = components.accounts();
        store = new JdbcDisconnectStore(database.dataSource());
    }

    @AfterEach
    void tearDown() throws SQLException {
        database.close();
    }

    @Test
    void aRevokedDeviceIsPendingOnceItsDeviceRevokedWasPublished() throws Exception {
        String email = userWithTwoDevices("revoked");
        LoginResult laptop = devices.get(0);
        LoginResult phone = devices.get(1);

        accounts.unregisterDevice(laptop.userId(), laptop.deviceId());

        assertThat(store.pending(10, LIFETIME)).as("its notice is still to go out").isEmpty();
        publishEverything();
        assertThat(store.pending(10, LIFETIME)).extracting(DisconnectStore.Pending::deviceId)
                .containsExactly(laptop.deviceId());
        assertThat(store.pending(10, LIFETIME)).allSatisfy(p -> assertThat(p.tokensExpired()).isFalse());
        assertThat(store.pending(10, Duration.ZERO)).allSatisfy(p -> assertThat(p.tokensExpired()).isTrue());
        assertThat(phone.deviceId()).isNotEqualTo(laptop.deviceId());
    }

    @Test
    void changePasswordAsksForTheDevicesItSignsOutAndNotForTheOneThatChangedIt() {
        String email = userWithTwoDevices("change");
        LoginResult laptop = devices.get(0);
        LoginResult phone = devices.get(1);

        accounts.changePassword(laptop.userId(), laptop.deviceId(), "pw-ann", "pw-ann-2", false);

        assertThat(store.pending(10, LIFETIME)).extracting(DisconnectStore.Pending::deviceId)
                .containsExactly(phone.deviceId());
    }

    @Test
    void resetPasswordAndDeleteUserAskForEveryDevice() throws Exception {
        String email = userWithTwoDevices("reset");
        LoginResult laptop = devices.get(0);
        LoginResult phone = devices.get(1);
        accounts.resetPassword(email, "pw-ann-2");
        assertThat(store.pending(10, LIFETIME)).extracting(DisconnectStore.Pending::deviceId)
                .containsExactlyInAnyOrder(laptop.deviceId(), phone.deviceId());
        store.pending(10, Duration.ZERO).forEach(store::done);
        assertThat(store.pending(10, LIFETIME)).isEmpty();

        LoginResult again = login(email, "pw-ann-2");
        accounts.deleteUser(email);
        publishEverything();

        assertThat(store.pending(10, LIFETIME)).extracting(DisconnectStore.Pending::deviceId)
                .containsExactlyInAnyOrder(laptop.deviceId(), phone.deviceId(), again.deviceId());
    }

    @Test
    void aSweepOfAnEarlierRequestDoesNotForgetALaterOne() throws Exception {
        String email = userWithTwoDevices("twice");
        LoginResult laptop = devices.get(0);
        LoginResult phone = devices.get(1);
        accounts.changePassword(laptop.userId(), laptop.deviceId(), "pw-ann", "pw-ann-2", false);
        List<DisconnectStore.Pending> first = store.pending(10, Duration.ZERO);
        assertThat(first).extracting(DisconnectStore.Pending::deviceId).containsExactly(phone.deviceId());

        accounts.login(new LoginAttempt(email, "pw-ann-2", Optional.of(phone.deviceId()), "phone", "linux", "1.0",
                UUID.randomUUID().toString()));
        accounts.changePassword(laptop.userId(), laptop.deviceId(), "pw-ann-2", "pw-ann-3", false);
        first.forEach(store::done);

        assertThat(store.pending(10, LIFETIME)).extracting(DisconnectStore.Pending::deviceId)
                .containsExactly(phone.deviceId());
    }

    private List<LoginResult> devices;

    /** A new user (password pw-ann) logged in on two devices, which {@link #devices} holds. */
    private String userWithTwoDevices(String prefix) {
        String email = prefix + "-" + UUID.randomUUID() + "@example.org";
        accounts.createUser(email, "Ann", "pw-ann", 1000);
        devices = List.of(login(email, "pw-ann"), login(email, "pw-ann"));
        return email;
    }

    private LoginResult login(String email, String password) {
        return accounts.login(new LoginAttempt(email, password, Optional.empty(), "laptop", "linux", "1.0",
                UUID.randomUUID().toString()));
    }

    private void publishEverything() throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE outbox SET published_at = now()"
                     + " WHERE published_at IS NULL")) {
            update.executeUpdate();
        }
    }
}
