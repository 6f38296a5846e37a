package org.syncservice.server.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.CommitItems.in;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;
import static org.syncservice.server.testing.Refusals.refusal;

import com.rabbitmq.client.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.AddGroupMemberRequest;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CreateGroupRequest;
import org.syncservice.protocol.v1.DeleteGroupRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Group;
import org.syncservice.protocol.v1.GroupMember;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ListGroupsRequest;
import org.syncservice.protocol.v1.ListMembersRequest;
import org.syncservice.protocol.v1.Member;
import org.syncservice.protocol.v1.MemberRole;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.protocol.v1.RemoveGroupMemberRequest;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.protocol.v1.UnshareFolderRequest;
import org.syncservice.protocol.v1.Workspace;
import org.syncservice.protocol.v1.WorkspaceEventKind;
import org.syncservice.server.testing.InMemoryChunkStorage;
import org.syncservice.server.testing.QueuedNotifications;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * Groups end to end: only a group's owner sees and manages it; sharing with a group makes its
 * members members with the share's role; joining and leaving the group gains and loses the
 * workspace, with the events, unless the member holds it another way; deleting the group removes
 * what it granted.
 */
class GroupsOverRabbitMqTest {
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

    private static Group createGroup(SyncDevice owner, String name, SyncDevice... members) {
        Group group = owner.client().createGroup(CreateGroupRequest.newBuilder().setName(name).build()).getGroup();
        for (SyncDevice member : members) {
            group = owner.client().addGroupMember(add(group, member)).getGroup();
        }
        return group;
    }

    private static AddGroupMemberRequest add(Group group, SyncDevice member) {
        return AddGroupMemberRequest.newBuilder().setGroupId(group.getGroupId())
                .setEmail(member.credentials().email()).build();
    }

    private static RemoveGroupMemberRequest remove(Group group, SyncDevice member) {
        return RemoveGroupMemberRequest.newBuilder().setGroupId(group.getGroupId())
                .setEmail(member.credentials().email()).build();
    }

    /** The owner shares a new folder holding a file with the groups (and users), in the role: the workspace's id. */
    private static String shareWith(SyncDevice owner, MemberRole role, List<Group> groups, SyncDevice... users) {
        Item folder = owner.create(newFolder("f", "Team"));
        owner.create(in(folder.getItemId(), newFile("t", "plan.txt", 10)));
        ShareFolderRequest.Builder request = ShareFolderRequest.newBuilder().setWorkspaceId(owner.workspace())
                .setFolderId(folder.getItemId()).setRole(role);
        groups.forEach(g -> request.addGroupIds(g.getGroupId()));
        for (SyncDevice user : users) {
            request.addEmails(user.credentials().email());
        }
        return owner.client().shareFolder(request.build()).getWorkspace().getWorkspaceId();
    }

    private static List<String> workspacesOf(SyncDevice user) {
        return user.client().listWorkspaces().getWorkspacesList().stream().map(Workspace::getWorkspaceId).toList();
    }

    private static MemberRole roleOf(SyncDevice user, String workspaceId) {
        return user.client().listWorkspaces().getWorkspacesList().stream()
                .filter(w -> w.getWorkspaceId().equals(workspaceId)).findFirst()
                .orElseThrow(() -> new AssertionError("no workspace " + workspaceId)).getRole();
    }

    private static List<String> memberEmails(SyncDevice owner, String workspaceId) {
        return owner.client().listMembers(ListMembersRequest.newBuilder().setWorkspaceId(workspaceId).build())
                .getMembersList().stream().map(Member::getEmail).toList();
    }

    private static Notification until(String queue, String workspaceId, WorkspaceEventKind kind) throws Exception {
        Predicate<Notification> wanted = n -> n.hasWorkspace() && n.getWorkspace().getKind() == kind
                && n.getWorkspace().getWorkspace().getWorkspaceId().equals(workspaceId);
        List<Notification> seen = QueuedNotifications.until(broker, queue, wanted, PATIENCE);
        return seen.get(seen.size() - 1);
    }

    @Test
    void theServerAnnouncesGroupsAndTheirOperations() {
        try (SyncClient client = service.newClient()) {
            assertThat(client.getServerInfo().getGroups()).isTrue();
            assertThat(client.getServerInfo().getOperationsList()).contains("create_group", "add_group_member",
                    "remove_group_member", "list_groups", "delete_group");
        }
    }

    @Test
    void anOwnerCreatesListsAndManagesTheirGroupsAndRetriesAnswerAlike() {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice bob = fixture.newUser("Bob");
        SyncDevice carl = fixture.newUser("Carl");
        Group team = createGroup(ann, "Team");
        assertThat(createGroup(ann, " Team ").getGroupId()).as("the same name answers the same group")
                .isEqualTo(team.getGroupId());
        createGroup(ann, "Auditors");

        team = ann.client().addGroupMember(add(team, bob)).getGroup();
        team = ann.client().addGroupMember(add(team, carl)).getGroup();
        assertThat(ann.client().addGroupMember(add(team, bob)).getGroup()).as("adding a member again")
                .isEqualTo(team);
        assertThat(team.getMembersList()).extracting(GroupMember::getEmail)
                .containsExactly(bob.credentials().email(), carl.credentials().email());
        team = ann.client().removeGroupMember(remove(team, bob)).getGroup();
        assertThat(ann.client().removeGroupMember(remove(team, bob)).getGroup()).as("removing a non-member")
                .isEqualTo(team);
        assertThat(team.getMembersList()).extracting(GroupMember::getEmail)
                .containsExactly(carl.credentials().email());

        assertThat(ann.client().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList())
                .extracting(Group::getName).containsExactly("Auditors", "Team");
        assertThat(bob.client().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList())
                .as("a group is its owner's alone").isEmpty();

        ann.client().deleteGroup(DeleteGroupRequest.newBuilder().setGroupId(team.getGroupId()).build());
        assertThat(ann.client().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList())
                .extracting(Group::getName).containsExactly("Auditors");
    }

    @Test
    void onlyTheOwnerManagesAGroupAndSharesWithItAndBadRequestsNameTheirField() {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice bob = fixture.newUser("Bob");
        SyncDevice mallory = fixture.newUser("Mallory");
        Group team = createGroup(ann, "Team", bob);

        for (Runnable call : List.<Runnable>of(
                () -> mallory.client().addGroupMember(add(team, mallory)),
                () -> mallory.client().removeGroupMember(remove(team, bob)),
                () -> mallory.client().deleteGroup(DeleteGroupRequest.newBuilder().setGroupId(team.getGroupId())
                        .build()),
                () -> bob.client().addGroupMember(add(team, mallory)),
                () -> shareWith(mallory, MemberRole.MEMBER_ROLE_MEMBER, List.of(team)))) {
            SyncServiceException refused = refusal(call);
            assertThat(refused.code()).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
            assertThat(refused.getMessage()).contains("no such group").doesNotContain("Team");
        }
        assertThat(ann.client().listGroups(ListGroupsRequest.getDefaultInstance()).getGroups(0).getMembersList())
                .extracting(GroupMember::getEmail).containsExactly(bob.credentials().email());
        assertThat(workspacesOf(mallory)).hasSize(1);

        Map<String, Runnable> bad = Map.of(
                "create_group.name", () -> ann.client().createGroup(CreateGroupRequest.newBuilder().setName("  ")
                        .build()),
                "create_group.name ", () -> ann.client().createGroup(CreateGroupRequest.newBuilder()
                        .setName("x".repeat(101)).build()),
                "add_group_member.group_id", () -> ann.client().addGroupMember(AddGroupMemberRequest.newBuilder()
                        .setGroupId("nope").setEmail(bob.credentials().email()).build()),
                "add_group_member.email", () -> ann.client().addGroupMember(AddGroupMemberRequest.newBuilder()
                        .setGroupId(team.getGroupId()).build()),
                "remove_group_member.email", () -> ann.client().removeGroupMember(RemoveGroupMemberRequest
                        .newBuilder().setGroupId(team.getGroupId()).setEmail("a\u0000b").build()),
                "delete_group.group_id", () -> ann.client().deleteGroup(DeleteGroupRequest.newBuilder()
                        .setGroupId("").build()),
                "share_folder.group_ids", () -> ann.client().shareFolder(ShareFolderRequest.newBuilder()
                        .setWorkspaceId(ann.workspace()).setFolderId(1).addGroupIds("not-a-uuid").build()),
                "share_folder.emails", () -> ann.client().shareFolder(ShareFolderRequest.newBuilder()
                        .setWorkspaceId(ann.workspace()).setFolderId(1).build()));
        bad.forEach((field, call) -> {
            SyncServiceException refused = refusal(call);
            assertThat(refused.code()).as(field).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
            assertThat(refused.field()).as(field).contains(field.strip());
        });
        SyncServiceException nobody = refusal(() -> ann.client().addGroupMember(AddGroupMemberRequest.newBuilder()
                .setGroupId(team.getGroupId()).setEmail("nobody@example.org").build()));
        assertThat(nobody.code()).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(nobody.getMessage()).contains("nobody@example.org");
    }

    @Test
    void sharingWithAGroupMakesItsMembersMembersInTheSharesRole() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice rita = fixture.newUser("Rita");
        SyncDevice will = fixture.newUser("Will");
        Group readers = createGroup(ann, "Readers", rita);
        String ritasQueue = rita.client().subscribeNotifications().getQueue();

        String ws = shareWith(ann, MemberRole.MEMBER_ROLE_READER, List.of(readers), will);

        assertThat(until(ritasQueue, ws, WorkspaceEventKind.WORKSPACE_EVENT_KIND_SHARED).getWorkspace()
                .getWorkspace().getRole()).isEqualTo(MemberRole.MEMBER_ROLE_READER);
        assertThat(roleOf(rita, ws)).isEqualTo(MemberRole.MEMBER_ROLE_READER);
        assertThat(roleOf(will, ws)).isEqualTo(MemberRole.MEMBER_ROLE_READER);
        assertThat(refusal(() -> rita.client().commit(CommitRequest.newBuilder().setWorkspaceId(ws)
                .addItems(newFile("n", "n.txt", 1)).build())).code()).isEqualTo(ErrorCode.ERROR_CODE_PERMISSION_DENIED);

        // Adding a group to a shared workspace (folder_id 0) does the same.
        SyncDevice wendy = fixture.newUser("Wendy");
        Group writers = createGroup(ann, "Writers", wendy, rita);
        ann.client().shareFolder(ShareFolderRequest.newBuilder().setWorkspaceId(ws).addGroupIds(writers.getGroupId())
                .setRole(MemberRole.MEMBER_ROLE_MEMBER).build());
        assertThat(roleOf(wendy, ws)).isEqualTo(MemberRole.MEMBER_ROLE_MEMBER);
        assertThat(roleOf(rita, ws)).as("a member already keeps their role").isEqualTo(MemberRole.MEMBER_ROLE_READER);
        assertThat(wendy.client().commit(CommitRequest.newBuilder().setWorkspaceId(ws)
                .addItems(newFile("w", "w.txt", 1)).build()).getResults(0).getOutcome())
                .isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
    }

    @Test
    void joiningTheGroupGainsItsWorkspacesAndLeavingLosesThemWithTheirEvents() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice bob = fixture.newUser("Bob");
        SyncDevice carl = fixture.newUser("Carl");
        Group team = createGroup(ann, "Team", bob);
        String ws = shareWith(ann, MemberRole.MEMBER_ROLE_MEMBER, List.of(team));
        SyncDevice carlsPhone = fixture.anotherDevice(carl, "phone");
        String carlsQueue = carlsPhone.client().subscribeNotifications().getQueue();
        String bobsQueue = bob.client().subscribeNotifications().getQueue();
        String annsQueue = ann.client().subscribeNotifications().getQueue();

        ann.client().addGroupMember(add(team, carl));

        assertThat(until(carlsQueue, ws, WorkspaceEventKind.WORKSPACE_EVENT_KIND_SHARED).getWorkspace()
                .getWorkspace().getRole()).isEqualTo(MemberRole.MEMBER_ROLE_MEMBER);
        until(bobsQueue, ws, WorkspaceEventKind.WORKSPACE_EVENT_KIND_MEMBERS_CHANGED);
        until(annsQueue, ws, WorkspaceEventKind.WORKSPACE_EVENT_KIND_MEMBERS_CHANGED);
        assertThat(workspacesOf(carl)).contains(ws);
        assertThat(memberEmails(ann, ws)).contains(carl.credentials().email());

        ann.client().removeGroupMember(remove(team, carl));

        until(carlsQueue, ws, WorkspaceEventKind.WORKSPACE_EVENT_KIND_UNSHARED);
        until(bobsQueue, ws, WorkspaceEventKind.WORKSPACE_EVENT_KIND_MEMBERS_CHANGED);
        assertThat(workspacesOf(carl)).doesNotContain(ws);
        assertThat(memberEmails(ann, ws)).doesNotContain(carl.credentials().email());
        assertThat(refusal(() -> carl.client().commit(CommitRequest.newBuilder().setWorkspaceId(ws)
                .addItems(newFile("c", "c.txt", 1)).build())).code()).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
    }

    @Test
    void aMemberWhoHoldsTheWorkspaceAnotherWayKeepsItWhenLeavingTheGroup() {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice bob = fixture.newUser("Bob");
        SyncDevice carl = fixture.newUser("Carl");
        Group team = createGroup(ann, "Team", bob, carl);
        Group other = createGroup(ann, "Other", carl);
        String ws = shareWith(ann, MemberRole.MEMBER_ROLE_MEMBER, List.of(team, other), bob);

        ann.client().removeGroupMember(remove(team, bob));
        ann.client().removeGroupMember(remove(team, carl));

        assertThat(workspacesOf(bob)).as("shared with Bob by email too").contains(ws);
        assertThat(workspacesOf(carl)).as("Carl is in the other group").contains(ws);
        ann.client().deleteGroup(DeleteGroupRequest.newBuilder().setGroupId(other.getGroupId()).build());
        assertThat(workspacesOf(carl)).as("the group that granted it is gone").doesNotContain(ws);
        assertThat(workspacesOf(bob)).contains(ws);
    }

    @Test
    void deletingAGroupRemovesWhatItGrantedAndTheOwnerCannotUnshareAGroupsMemberByEmail() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice bob = fixture.newUser("Bob");
        SyncDevice carl = fixture.newUser("Carl");
        Group team = createGroup(ann, "Team", bob);
        String ws = shareWith(ann, MemberRole.MEMBER_ROLE_MEMBER, List.of(team), carl);
        String bobsQueue = bob.client().subscribeNotifications().getQueue();
        String carlsQueue = carl.client().subscribeNotifications().getQueue();

        SyncServiceException byEmail = refusal(() -> ann.client().unshareFolder(UnshareFolderRequest.newBuilder()
                .setWorkspaceId(ws).addEmails(bob.credentials().email()).build()));
        assertThat(byEmail.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(byEmail.getMessage()).contains("through a group");
        assertThat(workspacesOf(bob)).contains(ws);

        ann.client().deleteGroup(DeleteGroupRequest.newBuilder().setGroupId(team.getGroupId()).build());

        until(bobsQueue, ws, WorkspaceEventKind.WORKSPACE_EVENT_KIND_UNSHARED);
        until(carlsQueue, ws, WorkspaceEventKind.WORKSPACE_EVENT_KIND_MEMBERS_CHANGED);
        assertThat(workspacesOf(bob)).doesNotContain(ws);
        assertThat(memberEmails(ann, ws)).containsExactly(ann.credentials().email(), carl.credentials().email());
        SyncServiceException again = refusal(() -> ann.client().deleteGroup(DeleteGroupRequest.newBuilder()
                .setGroupId(team.getGroupId()).build()));
        assertThat(again.code()).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        // The workspace is no longer shared with the group: a new member of a new group of that name gains nothing.
        Group renewed = createGroup(ann, "Team", bob);
        assertThat(renewed.getGroupId()).isNotEqualTo(team.getGroupId());
        assertThat(workspacesOf(bob)).doesNotContain(ws);
    }
}
