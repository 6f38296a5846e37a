package org.syncservice.server.rpc.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.ListWorkspacesResponse;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.protocol.v1.MemberRole;
import org.syncservice.protocol.v1.StorageBackend;
import org.syncservice.protocol.v1.UnregisterDeviceRequest;
import org.syncservice.protocol.v1.UpdateDeviceRequest;
import org.syncservice.protocol.v1.UpdateWorkspaceRequest;
import org.syncservice.protocol.v1.Workspace;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.testing.RunningService;

/** Login, devices, account info and workspaces end to end: SyncClient -> RabbitMQ -> service -> PostgreSQL. */
class AccountsOverRabbitMqTest {
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private record User(String email, String password, CreatedUser created) {
    }

    private static User newUser(String name) {
        String email = name.toLowerCase() + "-" + UUID.randomUUID() + "@example.org";
        String password = "pw-" + UUID.randomUUID();
        CreatedUser created = service.service().components().accounts().createUser(email, name, password, 1 << 20);
        return new User(email, password, created);
    }

    private static LoginRequest loginOf(User user) {
        return LoginRequest.newBuilder().setEmail(user.email()).setPassword(user.password())
                .setDeviceName("laptop").setOs("linux").setAppVersion("1.0").build();
    }

    private static ErrorCode codeOf(Runnable call) {
        try {
            call.run();
        } catch (SyncServiceException e) {
            assertThat(e.isLocal()).as("a reply from the service, not a local failure: %s", e).isFalse();
            return e.code();
        }
        throw new AssertionError("expected the call to fail");
    }

    @Test
    void loginCreatesADeviceAndAWorkingToken() {
        User ann = newUser("Ann");
        try (SyncClient client = service.newClient()) {
            LoginResponse login = client.login(loginOf(ann));

            assertThat(login.getUserId()).isEqualTo(ann.created().userId().toString());
            assertThat(login.getToken()).hasSize(43);
            assertThat(login.getAccount().getEmail()).isEqualTo(ann.email());
            assertThat(login.getAccount().getQuotaLimitBytes()).isEqualTo(1 << 20);
            assertThat(client.getAccountInfo().getAccount().getName()).isEqualTo("Ann");
            assertThat(client.listDevices().getDevicesList()).singleElement().satisfies(d -> {
                assertThat(d.getDeviceId()).isEqualTo(login.getDeviceId());
                assertThat(d.getCurrent()).isTrue();
                assertThat(d.getName()).isEqualTo("laptop");
            });
            assertThat(client.getServerInfo().getOperationsList())
                    .contains("login", "update_device", "unregister_device", "list_devices", "get_account_info",
                            "list_workspaces", "update_workspace");
        }
    }

    @Test
    void aRetriedLoginWithTheSameRequestIdYieldsTheSameDevice() {
        User bob = newUser("Bob");
        try (SyncClient client = service.newClient()) {
            String requestId = SyncClient.newRequestId();
            LoginResponse first = client.login(loginOf(bob), requestId);
            LoginResponse retry = client.login(loginOf(bob), requestId);

            assertThat(retry.getDeviceId()).isEqualTo(first.getDeviceId());
            assertThat(client.listDevices().getDevicesCount()).isEqualTo(1);
        }
    }

    @Test
    void wrongPasswordAndUnknownEmailAreUnauthenticatedWithTheSameMessage() {
        User cy = newUser("Cy");
        try (SyncClient client = service.newClient()) {
            SyncServiceException wrongPassword = catchService(() -> client.login(
                    loginOf(cy).toBuilder().setPassword("wrong").build()));
            SyncServiceException unknownEmail = catchService(() -> client.login(
                    loginOf(cy).toBuilder().setEmail("nobody-" + UUID.randomUUID() + "@example.org").build()));

            assertThat(wrongPassword.code()).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
            assertThat(unknownEmail.code()).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
            assertThat(wrongPassword.getMessage()).isEqualTo(unknownEmail.getMessage());
            assertThat(wrongPassword.getMessage()).contains("wrong email or password");
        }
    }

    private static SyncServiceException catchService(Runnable call) {
        try {
            call.run();
        } catch (SyncServiceException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    @Test
    void anUnregisteredDevicesTokenIsRefusedAtOnce() {
        User dee = newUser("Dee");
        try (SyncClient phone = service.newClient(); SyncClient laptop = service.newClient()) {
            LoginResponse phoneLogin = phone.login(loginOf(dee));
            laptop.login(loginOf(dee));
            phone.getAccountInfo(); // the phone's token is now cached by the service

            laptop.unregisterDevice(UnregisterDeviceRequest.newBuilder().setDeviceId(phoneLogin.getDeviceId()).build());

            assertThat(codeOf(phone::getAccountInfo)).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
            assertThat(laptop.listDevices().getDevicesList()).singleElement()
                    .satisfies(d -> assertThat(d.getCurrent()).isTrue());

            laptop.unregisterDevice(UnregisterDeviceRequest.getDefaultInstance());
            assertThat(codeOf(laptop::listDevices)).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
        }
    }

    @Test
    void aDeviceCannotUnregisterAnotherUsersDevice() {
        User eve = newUser("Eve");
        User fay = newUser("Fay");
        try (SyncClient eveClient = service.newClient(); SyncClient fayClient = service.newClient()) {
            eveClient.login(loginOf(eve));
            LoginResponse fayLogin = fayClient.login(loginOf(fay));

            assertThat(codeOf(() -> eveClient.unregisterDevice(UnregisterDeviceRequest.newBuilder()
                    .setDeviceId(fayLogin.getDeviceId()).build()))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);

            assertThat(fayClient.listDevices().getDevicesList()).singleElement()
                    .satisfies(d -> assertThat(d.getDeviceId()).isEqualTo(fayLogin.getDeviceId()));
        }
    }

    @Test
    void updateDeviceRenamesTheCallingDevice() {
        User gus = newUser("Gus");
        try (SyncClient client = service.newClient()) {
            client.login(loginOf(gus));

            var device = client.updateDevice(UpdateDeviceRequest.newBuilder().setName("desk").build()).getDevice();

            assertThat(device.getName()).isEqualTo("desk");
            assertThat(device.getOs()).isEqualTo("linux");
            assertThat(device.getLastSeenMs()).isPositive();
            assertThat(codeOf(() -> client.updateDevice(UpdateDeviceRequest.newBuilder().setName("").build())))
                    .isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        }
    }

    @Test
    void listWorkspacesShowsOnlyTheCallersWorkspaces() {
        User hal = newUser("Hal");
        newUser("Ivy");
        try (SyncClient client = service.newClient()) {
            client.login(loginOf(hal));

            ListWorkspacesResponse list = client.listWorkspaces();

            assertThat(list.getWorkspacesList()).singleElement().satisfies(w -> {
                assertThat(w.getWorkspaceId()).isEqualTo(hal.created().defaultWorkspaceId().toString());
                assertThat(w.getOwnerUserId()).isEqualTo(hal.created().userId().toString());
                assertThat(w.getOwnerName()).isEqualTo("Hal");
                assertThat(w.getRole()).isEqualTo(MemberRole.MEMBER_ROLE_OWNER);
                assertThat(w.getName()).isEqualTo("default");
                assertThat(w.getMountPoint()).isEmpty();
                assertThat(w.getStorage().getBackend()).isEqualTo(StorageBackend.STORAGE_BACKEND_S3);
                assertThat(w.getStorage().getPrefix()).isEqualTo(w.getWorkspaceId() + "/");
                assertThat(w.getLatestChangeSeq()).isZero();
            });
        }
    }

    @Test
    void updateWorkspaceChangesTheCallersOwnView() {
        User jo = newUser("Jo");
        try (SyncClient client = service.newClient()) {
            client.login(loginOf(jo));
            String id = jo.created().defaultWorkspaceId().toString();

            Workspace updated = client.updateWorkspace(UpdateWorkspaceRequest.newBuilder().setWorkspaceId(id)
                    .setName("Personal").setMountPoint("Sync/Personal").build()).getWorkspace();

            assertThat(updated.getName()).isEqualTo("Personal");
            assertThat(updated.getMountPoint()).isEqualTo("Sync/Personal");
            assertThat(client.listWorkspaces().getWorkspaces(0).getName()).isEqualTo("Personal");
            assertThat(codeOf(() -> client.updateWorkspace(UpdateWorkspaceRequest.newBuilder().setWorkspaceId(id)
                    .setMountPoint("../escape").build()))).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
            assertThat(codeOf(() -> client.updateWorkspace(UpdateWorkspaceRequest.newBuilder().setWorkspaceId(id)
                    .setName("a/b").build()))).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        }
    }

    @Test
    void updateWorkspaceOnAnotherUsersWorkspaceIsNotFoundAndChangesNothing() {
        User kim = newUser("Kim");
        User lou = newUser("Lou");
        try (SyncClient kimClient = service.newClient(); SyncClient louClient = service.newClient()) {
            kimClient.login(loginOf(kim));
            louClient.login(loginOf(lou));
            String louWorkspace = lou.created().defaultWorkspaceId().toString();

            assertThat(codeOf(() -> kimClient.updateWorkspace(UpdateWorkspaceRequest.newBuilder()
                    .setWorkspaceId(louWorkspace).setName("mine now").build())))
                    .isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
            assertThat(codeOf(() -> kimClient.updateWorkspace(UpdateWorkspaceRequest.newBuilder()
                    .setWorkspaceId(UUID.randomUUID().toString()).setName("x").build())))
                    .isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);

            assertThat(louClient.listWorkspaces().getWorkspaces(0).getName()).isEqualTo("default");
        }
    }

    @Test
    void passwordsAndTokensNeverAppearInTheDatabaseInPlainText() throws SQLException {
        User max = newUser("Max");
        String token;
        try (SyncClient client = service.newClient()) {
            token = client.login(loginOf(max)).getToken();
        }
        try (Connection c = service.database().dataSource().getConnection();
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT u::text, d::text, encode(d.token_hash, 'escape')"
                     + " FROM users u JOIN devices d USING (user_id)")) {
            int seen = 0;
            while (rows.next()) {
                seen++;
                for (int i = 1; i <= 3; i++) {
                    String value = rows.getString(i);
                    if (value != null) {
                        assertThat(value).doesNotContain(max.password()).doesNotContain(token);
                    }
                }
            }
            assertThat(seen).isPositive();
        }
    }
}
