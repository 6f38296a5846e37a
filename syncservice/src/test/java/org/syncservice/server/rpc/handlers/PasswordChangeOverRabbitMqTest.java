package org.syncservice.server.rpc.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.ChangePasswordRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.server.testing.RunningService;

/**
 * change_password and the admin reset end to end, with the default minimum password length:
 * who is signed out, who stays, and that the old password stops working.
 */
class PasswordChangeOverRabbitMqTest {
    private static final String OLD = "the old password";
    private static final String NEW = "a new password, long enough";
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        // The harness lowers the minimum for tests with short passwords; this one is about it.
        service = RunningService.start(Map.of("auth.min-password-length", "12"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static String newUser() {
        String email = "pw-" + UUID.randomUUID() + "@example.org";
        service.service().components().accounts().createUser(email, "Pat", OLD, 1 << 20);
        return email;
    }

    private static LoginResponse login(SyncClient client, String email, String password, String deviceId) {
        LoginResponse login = client.login(LoginRequest.newBuilder().setEmail(email).setPassword(password)
                .setDeviceId(deviceId).setDeviceName("device").setOs("linux").setAppVersion("1.0").build());
        client.setToken(login.getToken());
        return login;
    }

    private static SyncServiceException failure(Runnable call) {
        try {
            call.run();
        } catch (SyncServiceException e) {
            assertThat(e.isLocal()).as("a reply from the service: %s", e).isFalse();
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    @Test
    void aChangeSignsOutTheOtherDevicesWhichLogInAgainWithTheNewPasswordOnly() {
        String email = newUser();
        try (SyncClient laptop = service.newClient(); SyncClient phone = service.newClient();
             SyncClient tablet = service.newClient()) {
            login(laptop, email, OLD, "");
            LoginResponse phoneLogin = login(phone, email, OLD, "");
            login(tablet, email, OLD, "");

            String requestId = SyncClient.newRequestId();
            ChangePasswordRequest change = ChangePasswordRequest.newBuilder().setCurrentPassword(OLD)
                    .setNewPassword(NEW).build();
            assertThat(laptop.changePassword(change, requestId).getDevicesSignedOut()).isEqualTo(2);
            assertThat(laptop.changePassword(change, requestId).getDevicesSignedOut())
                    .as("a retry after a lost answer succeeds: the new password is set").isZero();

            assertThat(laptop.listDevices().getDevicesCount()).as("the changing device stays signed in").isEqualTo(3);
            assertThat(failure(phone::listDevices).code()).as("another device is signed out")
                    .isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
            assertThat(failure(() -> login(phone, email, OLD, phoneLogin.getDeviceId())).code())
                    .as("the old password is refused").isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
            assertThat(login(phone, email, NEW, phoneLogin.getDeviceId()).getDeviceId())
                    .as("the signed-out device logs in again as itself").isEqualTo(phoneLogin.getDeviceId());
            assertThat(phone.listDevices().getDevicesCount()).isEqualTo(3);
        }
    }

    @Test
    void keepingTheOtherDevicesLeavesThemSignedIn() {
        String email = newUser();
        try (SyncClient laptop = service.newClient(); SyncClient phone = service.newClient()) {
            login(laptop, email, OLD, "");
            login(phone, email, OLD, "");
            assertThat(laptop.changePassword(ChangePasswordRequest.newBuilder().setCurrentPassword(OLD)
                    .setNewPassword(NEW).setKeepOtherDevices(true).build()).getDevicesSignedOut()).isZero();
            assertThat(phone.listDevices().getDevicesCount()).isEqualTo(2);
        }
    }

    @Test
    void aWrongCurrentPasswordOrATooShortNewOneIsRefusedNamingTheFieldAndChangesNothing() {
        String email = newUser();
        try (SyncClient laptop = service.newClient(); SyncClient phone = service.newClient()) {
            login(laptop, email, OLD, "");
            login(phone, email, OLD, "");
            SyncServiceException wrong = failure(() -> laptop.changePassword(ChangePasswordRequest.newBuilder()
                    .setCurrentPassword("not the password").setNewPassword(NEW).build()));
            assertThat(wrong.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
            assertThat(wrong.field()).contains("change_password.current_password");
            SyncServiceException tooShort = failure(() -> laptop.changePassword(ChangePasswordRequest.newBuilder()
                    .setCurrentPassword(OLD).setNewPassword("short").build()));
            assertThat(tooShort.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
            assertThat(tooShort.field()).contains("change_password.new_password");
            assertThat(tooShort.getMessage()).contains("at least 12 characters");

            assertThat(phone.listDevices().getDevicesCount()).as("nobody signed out").isEqualTo(2);
            try (SyncClient again = service.newClient()) {
                login(again, email, OLD, "");
            }
        }
    }

    @Test
    void anOperatorsResetSignsOutEveryDeviceAndSetsThePassword() {
        String email = newUser();
        try (SyncClient laptop = service.newClient(); SyncClient phone = service.newClient()) {
            LoginResponse laptopLogin = login(laptop, email, OLD, "");
            login(phone, email, OLD, "");
            assertThat(service.service().components().accounts().resetPassword(email, NEW)).isEqualTo(2);

            assertThat(failure(laptop::listDevices).code()).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
            assertThat(failure(phone::listDevices).code()).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
            assertThat(failure(() -> login(laptop, email, OLD, laptopLogin.getDeviceId())).code())
                    .isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
            login(laptop, email, NEW, laptopLogin.getDeviceId());
            assertThat(laptop.listDevices().getDevicesCount()).isEqualTo(2);
            assertThat(laptop.getServerInfo().getOperationsList()).contains("change_password");
        }
    }
}
