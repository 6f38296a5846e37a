package org.syncservice.server.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.CommitItems.changed;
import static org.syncservice.server.testing.CommitItems.in;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;
import static org.syncservice.server.testing.Refusals.refusal;

import com.rabbitmq.client.Channel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.AcknowledgeChangesRequest;
import org.syncservice.protocol.v1.ChangeMemberRoleRequest;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetMissingChunksRequest;
import org.syncservice.protocol.v1.GetStorageUrlsRequest;
import org.syncservice.protocol.v1.GetWorkspaceDigestRequest;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ListItemVersionsRequest;
import org.syncservice.protocol.v1.ListMembersRequest;
import org.syncservice.protocol.v1.LockEnd;
import org.syncservice.protocol.v1.LockItemRequest;
import org.syncservice.protocol.v1.Member;
import org.syncservice.protocol.v1.MemberRole;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.protocol.v1.RestoreVersionRequest;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.protocol.v1.StorageAccess;
import org.syncservice.protocol.v1.UnlockItemRequest;
import org.syncservice.protocol.v1.UnshareFolderRequest;
import org.syncservice.protocol.v1.UpdateWorkspaceRequest;
import org.syncservice.protocol.v1.Workspace;
import org.syncservice.protocol.v1.WorkspaceEventKind;
import org.syncservice.server.testing.CommitItems;
import org.syncservice.server.testing.InMemoryChunkStorage;
import org.syncservice.server.testing.QueuedNotifications;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * Member roles end to end: a READER reads and is refused every write with PERMISSION_DENIED
 * naming the role; only the owner changes roles; a change reaches every member's devices.
 */
class MemberRolesOverRabbitMqTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static RunningService service;
    private static SyncFixture fixture;
    private static Channel broker;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of(), config -> new InMemoryChunkStorage(config.storage().backend()));
        fixture = new SyncFixture(service);
        broker = service.broker().connection().createChannel();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        service.close();
    }

    /** A shared workspace of the owner's: its id, and a file in it. */
    private record Shared(String id, Item file) {
    }

    /** The owner shares a folder holding a file (two versions before the share) with the users, in the role. */
    private static Shared share(SyncDevice owner, MemberRole role, SyncDevice... with) {
        Item folder = owner.create(newFolder("f", "Team"));
        Item file = owner.create(in(folder.getItemId(), newFile("t", "plan.txt", 10)));
        owner.commit(changed(file, 20));
        ShareFolderRequest.Builder request = ShareFolderRequest.newBuilder().setWorkspaceId(owner.workspace())
                .setFolderId(folder.getItemId()).setRole(role);
        for (SyncDevice user : with) {
            request.addEmails(user.credentials().email());
        }
        String id = owner.client().shareFolder(request.build()).getWorkspace().getWorkspaceId();
        Item shared = owner.client().getChanges(GetChangesRequest.newBuilder().setWorkspaceId(id).build())
                .getItemsList().stream().filter(i -> i.getName().equals("plan.txt")).findFirst().orElseThrow();
        return new Shared(id, shared);
    }

    private static MemberRole roleOf(SyncDevice user, String workspaceId) {
        return view(user, workspaceId).getRole();
    }

    private static Workspace view(SyncDevice user, String workspaceId) {
        return user.client().listWorkspaces().getWorkspacesList().stream()
                .filter(w -> w.getWorkspaceId().equals(workspaceId)).findFirst()
                .orElseThrow(() -> new AssertionError("no workspace " + workspaceId));
    }

    private static ChangeMemberRoleRequest.Builder change(String workspaceId, SyncDevice member, MemberRole role) {
        return ChangeMemberRoleRequest.newBuilder().setWorkspaceId(workspaceId)
                .setEmail(member.credentials().email()).setRole(role);
    }

    /** What a write could change, as the owner sees it. */
    private static String stateOf(SyncDevice owner, String workspaceId) {
        return owner.client().getChanges(GetChangesRequest.newBuilder().setWorkspaceId(workspaceId).build())
                .getItemsList() + "|" + view(owner, workspaceId).getLatestChangeSeq() + "|"
                + owner.client().listMembers(ListMembersRequest.newBuilder().setWorkspaceId(workspaceId).build());
    }

    @Test
    void theServerAnnouncesRolesAndChangeMemberRole() {
        try (SyncClient client = service.newClient()) {
            assertThat(client.getServerInfo().getMemberRoles()).isTrue();
            assertThat(client.getServerInfo().getOperationsList()).contains("change_member_role");
        }
    }

    @Test
    void shareFolderGivesTheRoleAskedForAndWritersWhenNoneIsNamed() {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice rita = fixture.newUser("Rita");
        SyncDevice will = fixture.newUser("Will");
        Shared shared = share(ann, MemberRole.MEMBER_ROLE_READER, rita);
        ann.client().shareFolder(ShareFolderRequest.newBuilder().setWorkspaceId(shared.id())
                .addEmails(will.credentials().email()).build());

        assertThat(roleOf(rita, shared.id())).isEqualTo(MemberRole.MEMBER_ROLE_READER);
        assertThat(roleOf(will, shared.id())).isEqualTo(MemberRole.MEMBER_ROLE_MEMBER);
        assertThat(roleOf(ann, shared.id())).isEqualTo(MemberRole.MEMBER_ROLE_OWNER);
        assertThat(rita.client().listMembers(ListMembersRequest.newBuilder().setWorkspaceId(shared.id()).build())
                .getMembersList()).extracting(Member::getRole).containsExactly(MemberRole.MEMBER_ROLE_OWNER,
                        MemberRole.MEMBER_ROLE_READER, MemberRole.MEMBER_ROLE_MEMBER);

        SyncServiceException owner = refusal(() -> ann.client().shareFolder(ShareFolderRequest.newBuilder()
                .setWorkspaceId(shared.id()).addEmails(will.credentials().email())
                .setRole(MemberRole.MEMBER_ROLE_OWNER).build()));
        assertThat(owner.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(owner.field()).contains("share_folder.role");
        SyncServiceException unknown = refusal(() -> ann.client().shareFolder(ShareFolderRequest.newBuilder()
                .setWorkspaceId(shared.id()).addEmails(will.credentials().email()).setRoleValue(99).build()));
        assertThat(unknown.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(unknown.getMessage()).contains("99");
    }

    @Test
    void aReaderReadsButEveryWriteIsRefusedNamingTheRoleAndChangesNothing() {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice rita = fixture.newUser("Rita");
        SyncDevice will = fixture.newUser("Will");
        SyncDevice carl = fixture.newUser("Carl");
        Shared shared = share(ann, MemberRole.MEMBER_ROLE_READER, rita, will);
        ann.client().changeMemberRole(change(shared.id(), will, MemberRole.MEMBER_ROLE_MEMBER).build());
        String ws = shared.id();
        Item file = shared.file();
        will.client().lockItem(LockItemRequest.newBuilder().setWorkspaceId(ws).setItemId(file.getItemId()).build());
        String before = stateOf(ann, ws);

        Map<String, Consumer<SyncClient>> writes = new LinkedHashMap<>();
        writes.put("commit", c -> c.commit(CommitRequest.newBuilder().setWorkspaceId(ws)
                .addItems(CommitItems.changed(file, 5)).build()));
        writes.put("commit (new file)", c -> c.commit(CommitRequest.newBuilder().setWorkspaceId(ws)
                .addItems(newFile("n", "planted.txt", 1)).build()));
        writes.put("restore_version", c -> c.restoreVersion(RestoreVersionRequest.newBuilder().setWorkspaceId(ws)
                .setItemId(file.getItemId()).setVersion(1).setLatestVersion(file.getVersion()).build()));
        writes.put("lock_item", c -> c.lockItem(LockItemRequest.newBuilder().setWorkspaceId(ws)
                .setItemId(file.getItemId()).build()));
        writes.put("unlock_item", c -> c.unlockItem(UnlockItemRequest.newBuilder().setWorkspaceId(ws)
                .setItemId(file.getItemId()).build()));
        writes.put("share_folder", c -> c.shareFolder(ShareFolderRequest.newBuilder().setWorkspaceId(ws)
                .addEmails(carl.credentials().email()).build()));
        writes.put("unshare_folder", c -> c.unshareFolder(UnshareFolderRequest.newBuilder().setWorkspaceId(ws)
                .addEmails(will.credentials().email()).build()));
        writes.put("change_member_role", c -> c.changeMemberRole(change(ws, rita, MemberRole.MEMBER_ROLE_MEMBER)
                .build()));
        writes.put("get_storage_urls (WRITE)", c -> c.getStorageUrls(GetStorageUrlsRequest.newBuilder()
                .setWorkspaceId(ws).setAccess(StorageAccess.STORAGE_ACCESS_WRITE).addChunks(CommitItems.chunk())
                .build()));
        writes.forEach((operation, call) -> {
            SyncServiceException refused = refusal(() -> call.accept(rita.client()));
            assertThat(refused.code()).as(operation).isEqualTo(ErrorCode.ERROR_CODE_PERMISSION_DENIED);
            assertThat(refused.getMessage()).as(operation).contains("you are a READER of this workspace");
        });
        assertThat(stateOf(ann, ws)).isEqualTo(before);

        SyncClient reader = rita.client();
        assertThat(reader.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(ws).build()).getItemsList())
                .extracting(Item::getName).contains("plan.txt");
        assertThat(reader.listItemVersions(ListItemVersionsRequest.newBuilder().setWorkspaceId(ws)
                .setItemId(file.getItemId()).build()).getVersionsList()).isNotEmpty();
        assertThat(reader.getStorageUrls(GetStorageUrlsRequest.newBuilder().setWorkspaceId(ws)
                .setAccess(StorageAccess.STORAGE_ACCESS_READ).addChunks(file.getChunks(0)).build()).getUrlsList())
                .hasSize(1);
        reader.getMissingChunks(GetMissingChunksRequest.newBuilder().setWorkspaceId(ws)
                .addChunks(file.getChunks(0)).build());
        reader.getWorkspaceDigest(GetWorkspaceDigestRequest.newBuilder().setWorkspaceId(ws).build());
        reader.acknowledgeChanges(AcknowledgeChangesRequest.newBuilder().setWorkspaceId(ws)
                .setChangeSeq(view(rita, ws).getLatestChangeSeq()).build());
        assertThat(stateOf(ann, ws)).isEqualTo(before);
        // Her own name for it is hers to choose: no item of the workspace changes.
        assertThat(reader.updateWorkspace(UpdateWorkspaceRequest.newBuilder().setWorkspaceId(ws)
                .setName("Ann's plans").build()).getWorkspace().getName()).isEqualTo("Ann's plans");
        assertThat(view(ann, ws).getLatestChangeSeq()).isEqualTo(view(rita, ws).getLatestChangeSeq());
        // And she may leave.
        reader.unshareFolder(UnshareFolderRequest.newBuilder().setWorkspaceId(ws).build());
        assertThat(reader.listWorkspaces().getWorkspacesList()).extracting(Workspace::getWorkspaceId)
                .doesNotContain(ws);
    }

    @Test
    void aDowngradeTakesEffectAtOnceAndAnUpgradeGivesWritingBack() {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice bob = fixture.newUser("Bob");
        Shared shared = share(ann, MemberRole.MEMBER_ROLE_MEMBER, bob);
        String ws = shared.id();
        CommitRequest edit = CommitRequest.newBuilder().setWorkspaceId(ws).addItems(newFile("a", "a.txt", 1)).build();
        assertThat(bob.client().commit(edit).getResults(0).getOutcome())
                .isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);

        List<Member> after = ann.client().changeMemberRole(change(ws, bob, MemberRole.MEMBER_ROLE_READER).build())
                .getMembersList();

        assertThat(after).filteredOn(m -> m.getEmail().equals(bob.credentials().email()))
                .extracting(Member::getRole).containsExactly(MemberRole.MEMBER_ROLE_READER);
        assertThat(roleOf(bob, ws)).isEqualTo(MemberRole.MEMBER_ROLE_READER);
        CommitRequest another = CommitRequest.newBuilder().setWorkspaceId(ws).addItems(newFile("b", "b.txt", 1))
                .build();
        assertThat(refusal(() -> bob.client().commit(another)).code())
                .isEqualTo(ErrorCode.ERROR_CODE_PERMISSION_DENIED);
        // The same role again changes nothing and answers alike.
        assertThat(ann.client().changeMemberRole(change(ws, bob, MemberRole.MEMBER_ROLE_READER).build())
                .getMembersList()).isEqualTo(after);

        ann.client().changeMemberRole(ChangeMemberRoleRequest.newBuilder().setWorkspaceId(ws)
                .setUserId(bob.credentials().userId().toString()).setRole(MemberRole.MEMBER_ROLE_MEMBER).build());
        assertThat(bob.client().commit(another).getResults(0).getOutcome())
                .isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
    }

    @Test
    void aMemberMadeReaderLosesTheLocksTheyHeldWithAnUnlockedEvent() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice bob = fixture.newUser("Bob");
        SyncDevice carl = fixture.newUser("Carl");
        Shared shared = share(ann, MemberRole.MEMBER_ROLE_MEMBER, bob, carl);
        LockItemRequest lock = LockItemRequest.newBuilder().setWorkspaceId(shared.id())
                .setItemId(shared.file().getItemId()).build();
        bob.client().lockItem(lock);
        String carlsQueue = carl.client().subscribeNotifications().getQueue();

        ann.client().changeMemberRole(change(shared.id(), bob, MemberRole.MEMBER_ROLE_READER).build());

        Notification unlocked = until(carlsQueue, Notification::hasItemLock);
        assertThat(unlocked.getItemLock().getItemId()).isEqualTo(shared.file().getItemId());
        assertThat(unlocked.getItemLock().getEnd()).isEqualTo(LockEnd.LOCK_END_BROKEN);
        assertThat(carl.client().lockItem(lock).getLock().getHolderUserId())
                .as("the file is free for the writers").isEqualTo(carl.credentials().userId().toString());
    }

    @Test
    void onlyTheOwnerChangesRolesAndNotTheirOwnAndBadRequestsNameTheirField() {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice bob = fixture.newUser("Bob");
        SyncDevice carl = fixture.newUser("Carl");
        SyncDevice stranger = fixture.newUser("Stranger");
        Shared shared = share(ann, MemberRole.MEMBER_ROLE_MEMBER, bob, carl);
        String ws = shared.id();
        String before = stateOf(ann, ws);

        SyncServiceException writer = refusal(() -> bob.client().changeMemberRole(
                change(ws, carl, MemberRole.MEMBER_ROLE_READER).build()));
        assertThat(writer.code()).isEqualTo(ErrorCode.ERROR_CODE_PERMISSION_DENIED);
        assertThat(writer.getMessage()).contains("you are a WRITER of this workspace");
        SyncServiceException own = refusal(() -> ann.client().changeMemberRole(
                change(ws, ann, MemberRole.MEMBER_ROLE_READER).build()));
        assertThat(own.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(own.getMessage()).contains("owner's own role");
        SyncServiceException noMember = refusal(() -> ann.client().changeMemberRole(
                change(ws, stranger, MemberRole.MEMBER_ROLE_READER).build()));
        assertThat(noMember.code()).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(noMember.getMessage()).contains(stranger.credentials().email());
        SyncServiceException outsider = refusal(() -> stranger.client().changeMemberRole(
                change(ws, bob, MemberRole.MEMBER_ROLE_READER).build()));
        assertThat(outsider.code()).as("a workspace the caller is no member of is not found")
                .isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);

        List<Map.Entry<String, ChangeMemberRoleRequest>> bad = List.of(
                Map.entry("change_member_role.role", change(ws, bob, MemberRole.MEMBER_ROLE_OWNER).build()),
                Map.entry("change_member_role.role", change(ws, bob, MemberRole.MEMBER_ROLE_UNSPECIFIED).build()),
                Map.entry("change_member_role.role", change(ws, bob, MemberRole.MEMBER_ROLE_READER).setRoleValue(7)
                        .build()),
                Map.entry("change_member_role.email", change(ws, bob, MemberRole.MEMBER_ROLE_READER)
                        .setUserId(bob.credentials().userId().toString()).build()),
                Map.entry("change_member_role.user_id", ChangeMemberRoleRequest.newBuilder().setWorkspaceId(ws)
                        .setUserId("not-a-uuid").setRole(MemberRole.MEMBER_ROLE_READER).build()),
                Map.entry("change_member_role.workspace_id", change("nope", bob, MemberRole.MEMBER_ROLE_READER)
                        .build()));
        for (Map.Entry<String, ChangeMemberRoleRequest> each : bad) {
            SyncServiceException refused = refusal(() -> ann.client().changeMemberRole(each.getValue()));
            assertThat(refused.code()).as("%s", each.getValue()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
            assertThat(refused.field()).as("%s", each.getValue()).contains(each.getKey());
        }
        SyncServiceException neither = refusal(() -> ann.client().changeMemberRole(ChangeMemberRoleRequest
                .newBuilder().setWorkspaceId(ws).setRole(MemberRole.MEMBER_ROLE_READER).build()));
        assertThat(neither.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(stateOf(ann, ws)).isEqualTo(before);
    }

    @Test
    void aRoleChangeReachesEveryMembersDevicesWithTheirNewView() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice bob = fixture.newUser("Bob");
        SyncDevice carl = fixture.newUser("Carl");
        Shared shared = share(ann, MemberRole.MEMBER_ROLE_MEMBER, bob, carl);
        SyncDevice bobsPhone = fixture.anotherDevice(bob, "phone");
        Map<SyncDevice, MemberRole> seenAs = new LinkedHashMap<>();
        seenAs.put(ann, MemberRole.MEMBER_ROLE_OWNER);
        seenAs.put(bob, MemberRole.MEMBER_ROLE_READER);
        seenAs.put(bobsPhone, MemberRole.MEMBER_ROLE_READER);
        seenAs.put(carl, MemberRole.MEMBER_ROLE_MEMBER);
        Map<SyncDevice, String> queues = new LinkedHashMap<>();
        seenAs.keySet().forEach(device -> queues.put(device, device.client().subscribeNotifications().getQueue()));

        ann.client().changeMemberRole(change(shared.id(), bob, MemberRole.MEMBER_ROLE_READER).build());

        for (Map.Entry<SyncDevice, MemberRole> device : seenAs.entrySet()) {
            Notification event = until(queues.get(device.getKey()), n -> n.hasWorkspace() && n.getWorkspace()
                    .getKind() == WorkspaceEventKind.WORKSPACE_EVENT_KIND_PERMISSIONS_CHANGED);
            Workspace seen = event.getWorkspace().getWorkspace();
            assertThat(seen.getWorkspaceId()).isEqualTo(shared.id());
            assertThat(seen.getRole()).as("as %s sees it", device.getKey().credentials().email())
                    .isEqualTo(device.getValue());
        }
    }

    /** The first notification that is wanted, skipping the others. */
    private static Notification until(String queue, java.util.function.Predicate<Notification> wanted)
            throws Exception {
        List<Notification> seen = QueuedNotifications.until(broker, queue, wanted, PATIENCE);
        return seen.get(seen.size() - 1);
    }
}
