package org.syncservice.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;

import com.google.protobuf.Message;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.AcknowledgeChangesRequest;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetAccountInfoRequest;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetServerInfoRequest;
import org.syncservice.protocol.v1.GetStorageUrlsRequest;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ListDevicesRequest;
import org.syncservice.protocol.v1.ListItemVersionsRequest;
import org.syncservice.protocol.v1.ListMembersRequest;
import org.syncservice.protocol.v1.ListWorkspacesRequest;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.RestoreVersionRequest;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.protocol.v1.SubscribeNotificationsRequest;
import org.syncservice.protocol.v1.UnregisterDeviceRequest;
import org.syncservice.protocol.v1.UnshareFolderRequest;
import org.syncservice.protocol.v1.UpdateDeviceRequest;
import org.syncservice.protocol.v1.UpdateWorkspaceRequest;
import org.syncservice.server.testing.CommitItems;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SigningKeys;
import org.syncservice.server.testing.SyncFixture;

/**
 * Every operation of the protocol called by someone who should get nothing: without a token, with
 * a made-up token, with the token of an unregistered device, and as another user aiming at the
 * victim's workspace, items and device. Each is refused, changes nothing of the victim's, and no
 * answer carries the victim's item names.
 */
class HostileCallersTest {
    private static final String SECRET_FOLDER = "victor-secret-folder";
    private static final String SECRET_FILE = "victor-secret-plans.txt";
    private static final String SECRET_GROUP = "victor-secret-group";

    private static RunningService service;
    private static SigningKeys keys;
    private static SyncFixture fixture;
    private static SyncDevice victor;
    private static Item secretFile;
    private static Item secretFolder;
    private static String secretGroupId;

    @BeforeAll
    static void start() throws Exception {
        // Signing broker tokens needs no broker that knows the key: the service hands them out,
        // and refresh_broker_token is among the operations attacked.
        keys = SigningKeys.create();
        service = RunningService.start(Map.of("auth.broker-signing-key-file", keys.privateKeyFile().toString()));
        fixture = new SyncFixture(service);
        victor = fixture.newUser("Victor");
        secretFolder = victor.create(newFolder("f", SECRET_FOLDER));
        secretFile = victor.create(CommitItems.in(secretFolder.getItemId(), newFile("s", SECRET_FILE, 100)));
        victor.commit(CommitItems.changed(secretFile, 200));
        secretFile = victor.listAll().named(SECRET_FILE);
        SyncDevice friend = fixture.newUser("Friend");
        secretGroupId = victor.client().createGroup(org.syncservice.protocol.v1.CreateGroupRequest.newBuilder()
                .setName(SECRET_GROUP).build()).getGroup().getGroupId();
        victor.client().addGroupMember(org.syncservice.protocol.v1.AddGroupMemberRequest.newBuilder()
                .setGroupId(secretGroupId).setEmail(friend.credentials().email()).build());
    }

    @AfterAll
    static void stop() throws Exception {
        keys.close();
        fixture.close();
        service.close();
    }

    /** Every operation, aimed at Victor's workspace, items and device wherever a request names one. */
    private static Map<String, Function<SyncClient, Message>> operationsAimedAtVictor() {
        String workspace = victor.workspace();
        long item = secretFile.getItemId();
        Map<String, Function<SyncClient, Message>> calls = new LinkedHashMap<>();
        calls.put("get_server_info", c -> c.getServerInfo(GetServerInfoRequest.getDefaultInstance()));
        calls.put("login", c -> c.login(LoginRequest.newBuilder().setEmail(victor.credentials().email())
                .setPassword("not-victors-password").setDeviceId(victor.deviceId()).build()));
        calls.put("update_device", c -> c.updateDevice(UpdateDeviceRequest.newBuilder().setName("pwned").build()));
        calls.put("unregister_device", c -> c.unregisterDevice(UnregisterDeviceRequest.newBuilder()
                .setDeviceId(victor.deviceId()).build()));
        calls.put("list_devices", c -> c.listDevices(ListDevicesRequest.getDefaultInstance()));
        calls.put("get_account_info", c -> c.getAccountInfo(GetAccountInfoRequest.getDefaultInstance()));
        calls.put("list_workspaces", c -> c.listWorkspaces(ListWorkspacesRequest.getDefaultInstance()));
        calls.put("update_workspace", c -> c.updateWorkspace(UpdateWorkspaceRequest.newBuilder()
                .setWorkspaceId(workspace).setName("pwned").build()));
        calls.put("get_changes", c -> c.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(workspace).build()));
        calls.put("commit", c -> c.commit(CommitRequest.newBuilder().setWorkspaceId(workspace)
                .addItems(CommitItems.deleted(secretFile))
                .addItems(CommitItems.renamed(secretFolder, "pwned"))
                .addItems(newFile("n", "planted.txt", 1)).build()));
        calls.put("acknowledge_changes", c -> c.acknowledgeChanges(AcknowledgeChangesRequest.newBuilder()
                .setWorkspaceId(workspace).setChangeSeq(1).build()));
        calls.put("list_item_versions", c -> c.listItemVersions(ListItemVersionsRequest.newBuilder()
                .setWorkspaceId(workspace).setItemId(item).build()));
        calls.put("restore_version", c -> c.restoreVersion(RestoreVersionRequest.newBuilder()
                .setWorkspaceId(workspace).setItemId(item).setVersion(1).setLatestVersion(secretFile.getVersion())
                .build()));
        calls.put("share_folder", c -> c.shareFolder(ShareFolderRequest.newBuilder().setWorkspaceId(workspace)
                .setFolderId(secretFolder.getItemId()).addEmails("mallory@example.org").build()));
        calls.put("unshare_folder", c -> c.unshareFolder(UnshareFolderRequest.newBuilder().setWorkspaceId(workspace)
                .addEmails(victor.credentials().email()).build()));
        calls.put("list_members", c -> c.listMembers(ListMembersRequest.newBuilder().setWorkspaceId(workspace).build()));
        calls.put("change_member_role", c -> c.changeMemberRole(org.syncservice.protocol.v1.ChangeMemberRoleRequest
                .newBuilder().setWorkspaceId(workspace).setEmail(victor.credentials().email())
                .setRole(org.syncservice.protocol.v1.MemberRole.MEMBER_ROLE_READER).build()));
        calls.put("get_storage_urls", c -> c.getStorageUrls(GetStorageUrlsRequest.newBuilder().setWorkspaceId(workspace)
                .setAccess(org.syncservice.protocol.v1.StorageAccess.STORAGE_ACCESS_READ)
                .addChunks(secretFile.getChunks(0)).build()));
        calls.put("subscribe_notifications", c -> c.subscribeNotifications(
                SubscribeNotificationsRequest.getDefaultInstance()));
        calls.put("get_workspace_digest", c -> c.getWorkspaceDigest(
                org.syncservice.protocol.v1.GetWorkspaceDigestRequest.newBuilder().setWorkspaceId(workspace).build()));
        calls.put("get_missing_chunks", c -> c.getMissingChunks(org.syncservice.protocol.v1.GetMissingChunksRequest
                .newBuilder().setWorkspaceId(workspace).addChunks(secretFile.getChunks(0)).build()));
        calls.put("change_password", c -> c.changePassword(org.syncservice.protocol.v1.ChangePasswordRequest
                .newBuilder().setCurrentPassword("not-victors-password").setNewPassword("pwned-password-long")
                .build()));
        calls.put("refresh_broker_token", SyncClient::refreshBrokerToken);
        calls.put("lock_item", c -> c.lockItem(org.syncservice.protocol.v1.LockItemRequest.newBuilder()
                .setWorkspaceId(workspace).setItemId(item).setReason("pwned").build()));
        calls.put("unlock_item", c -> c.unlockItem(org.syncservice.protocol.v1.UnlockItemRequest.newBuilder()
                .setWorkspaceId(workspace).setItemId(item).build()));
        calls.put("create_group", c -> c.createGroup(org.syncservice.protocol.v1.CreateGroupRequest.newBuilder()
                .setName(SECRET_GROUP).build()));
        calls.put("add_group_member", c -> c.addGroupMember(org.syncservice.protocol.v1.AddGroupMemberRequest
                .newBuilder().setGroupId(secretGroupId).setEmail(victor.credentials().email()).build()));
        calls.put("remove_group_member", c -> c.removeGroupMember(org.syncservice.protocol.v1.RemoveGroupMemberRequest
                .newBuilder().setGroupId(secretGroupId).setEmail(victor.credentials().email()).build()));
        calls.put("list_groups", c -> c.listGroups(org.syncservice.protocol.v1.ListGroupsRequest.getDefaultInstance()));
        calls.put("delete_group", c -> c.deleteGroup(org.syncservice.protocol.v1.DeleteGroupRequest.newBuilder()
                .setGroupId(secretGroupId).build()));
        return calls;
    }

    @Test
    void theOperationListCoversTheWholeProtocol() {
        assertThat(operationsAimedAtVictor().keySet()).containsExactlyInAnyOrderElementsOf(
                org.syncservice.server.testing.RandomRequests.operations().stream().map(f -> f.getName()).toList());
    }

    @Test
    void withoutATokenEveryOperationButLoginAndServerInfoIsUnauthenticated() {
        try (SyncClient anonymous = service.newClient()) {
            assertEveryOperationRefused(anonymous, "no token");
        }
    }

    @Test
    void withAMadeUpTokenEveryOperationIsUnauthenticated() {
        try (SyncClient forger = service.newClient()) {
            forger.setToken("dGhpcyBpcyBub3QgYSB0b2tlbiBvZiBhbnkgZGV2aWNl");
            assertEveryOperationRefused(forger, "made-up token");
        }
    }

    @Test
    void withTheTokenOfAnUnregisteredDeviceEveryOperationIsUnauthenticated() {
        SyncDevice old = fixture.anotherDevice(victor, "old-phone");
        String token = old.client().token().orElseThrow();
        old.client().unregisterDevice(UnregisterDeviceRequest.getDefaultInstance());
        try (SyncClient thief = service.newClient()) {
            thief.setToken(token);
            assertEveryOperationRefused(thief, "unregistered device's token");
        }
    }

    @Test
    void anotherUserAimingAtVictorsWorkspaceItemsAndDeviceGetsNothing() {
        SyncDevice mallory = fixture.newUser("Mallory");
        String before = victorsState();
        Map<String, String> answers = new LinkedHashMap<>();
        operationsAimedAtVictor().forEach((operation, call) -> {
            try {
                Message response = call.apply(mallory.client());
                answers.put(operation, "ok");
                // Operations that name nothing of Victor's answer about Mallory only.
                // create_group makes a group of Mallory's own, named as Victor's is: names are per owner.
                assertThat(operation).isIn("get_server_info", "update_device", "list_devices", "get_account_info",
                        "list_workspaces", "subscribe_notifications", "refresh_broker_token", "create_group",
                        "list_groups");
                assertNoLeak(operation, response.toString());
            } catch (SyncServiceException e) {
                answers.put(operation, e.code().name());
                assertNoLeak(operation, e.getMessage());
                // Every operation is served: refused for not seeing the victim's data, never unimplemented.
                // change_password names nothing of Victor's: it is about Mallory's own password.
                assertThat(e.code()).as(operation).isEqualTo(switch (operation) {
                    case "login" -> ErrorCode.ERROR_CODE_UNAUTHENTICATED;
                    case "change_password" -> ErrorCode.ERROR_CODE_INVALID_ARGUMENT;
                    default -> ErrorCode.ERROR_CODE_NOT_FOUND;
                });
            }
        });
        System.out.println("another user's calls answered: " + answers);
        assertThat(victorsState()).isEqualTo(before);
        assertThat(mallory.listAll().items()).isEmpty();
    }

    private void assertEveryOperationRefused(SyncClient client, String how) {
        String before = victorsState();
        operationsAimedAtVictor().forEach((operation, call) -> {
            if (operation.equals("get_server_info")) {
                assertNoLeak(operation, call.apply(client).toString());
                return;
            }
            try {
                Message response = call.apply(client);
                throw new AssertionError(operation + " with " + how + " answered " + response);
            } catch (SyncServiceException e) {
                assertNoLeak(operation, e.getMessage());
                assertThat(e.code()).as("%s with %s", operation, how).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
            }
        });
        assertThat(victorsState()).as("Victor's state after every operation with %s", how).isEqualTo(before);
    }

    private static void assertNoLeak(String operation, String text) {
        assertThat(text).as("what %s revealed", operation)
                .doesNotContain(SECRET_FILE).doesNotContain(SECRET_FOLDER)
                .doesNotContain(victor.credentials().email()).doesNotContain(secretGroupId);
    }

    /** Everything of Victor's an attack could change, as Victor sees it. */
    private static String victorsState() {
        return victor.listAll().items() + "|" + victor.changeSeq() + "|" + victor.versions(secretFile.getItemId())
                + "|" + victor.client().listWorkspaces() + "|" + victor.client().getAccountInfo()
                + "|" + victor.client().listDevices().getDevicesList().stream()
                        .map(d -> d.getDeviceId() + d.getName()).sorted().toList()
                + "|" + victor.client().listGroups(org.syncservice.protocol.v1.ListGroupsRequest.getDefaultInstance());
    }
}
