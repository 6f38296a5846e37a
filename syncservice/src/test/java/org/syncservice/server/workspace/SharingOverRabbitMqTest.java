package org.syncservice.server.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.protocol.v1.ListMembersRequest;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.MemberRole;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.protocol.v1.ShareFolderResponse;
import org.syncservice.protocol.v1.UnshareFolderRequest;
import org.syncservice.protocol.v1.UnshareFolderResponse;
import org.syncservice.protocol.v1.Workspace;
import org.syncservice.protocol.v1.WorkspaceEventKind;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.testing.InMemoryChunkStorage;
import org.syncservice.server.testing.QueuedNotifications;
import org.syncservice.server.testing.RunningService;

/** share_folder, unshare_folder and list_members end to end, with storage in memory to watch. */
class SharingOverRabbitMqTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static RunningService service;
    private static InMemoryChunkStorage storage;
    private static Channel broker;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of(), config -> {
            storage = new InMemoryChunkStorage(config.storage().backend());
            return storage;
        });
        broker = service.broker().connection().createChannel();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    record User(String email, UUID userId, SyncClient client, String deviceId) {
        String home() {
            return client.listWorkspaces().getWorkspaces(0).getWorkspaceId();
        }

        Workspace workspace(String id) {
            return client.listWorkspaces().getWorkspacesList().stream()
                    .filter(w -> w.getWorkspaceId().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no workspace " + id));
        }

        GetChangesResponse changes(String workspaceId, String cursor) {
            return client.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(workspaceId).setCursor(cursor)
                    .build());
        }

        CommitResponse commit(String workspaceId, CommitItem... items) {
            return client.commit(CommitRequest.newBuilder().setWorkspaceId(workspaceId).addAllItems(List.of(items))
                    .build());
        }
    }

    private static User newUser(String name) {
        String email = name.toLowerCase() + "-" + UUID.randomUUID() + "@example.org";
        String password = "pw-" + UUID.randomUUID();
        UUID id = service.service().components().accounts().createUser(email, name, password, 1 << 30).userId();
        SyncClient client = service.newClient();
        String device = client.login(LoginRequest.newBuilder().setEmail(email).setPassword(password)
                .setDeviceName("laptop").setOs("linux").setAppVersion("1.0").build()).getDeviceId();
        return new User(email, id, client, device);
    }

    /** Ann's default workspace gets Project/{a.txt, sub/b.txt}; returns the folder's item. */
    private static Item project(User owner) {
        CommitResponse made = owner.commit(owner.home(), newFolder("p", "Project"), newFile("a", "p", "a.txt", 10),
                newFolder("s", "p", "sub"), newFile("b", "s", "b.txt", 20));
        assertThat(made.getResultsList()).allMatch(r -> r.getOutcome() == CommitOutcome.COMMIT_OUTCOME_COMMITTED);
        return made.getResults(0).getCurrent();
    }

    private static ShareFolderResponse share(User owner, Item folder, User... with) {
        return share(owner, folder, SyncClient.newRequestId(), with);
    }

    private static ShareFolderResponse share(User owner, Item folder, String requestId, User... with) {
        ShareFolderRequest.Builder request = ShareFolderRequest.newBuilder().setWorkspaceId(owner.home())
                .setFolderId(folder.getItemId());
        for (User user : with) {
            request.addEmails(user.email());
        }
        return owner.client().shareFolder(request.build(), requestId);
    }

    private static ErrorCode errorOf(Runnable call) {
        try {
            call.run();
        } catch (SyncServiceException e) {
            return e.code();
        }
        throw new AssertionError("expected an error");
    }

    @Test
    void serverInfoListsTheSharingOperations() {
        try (SyncClient client = service.newClient()) {
            assertThat(client.getServerInfo().getOperationsList())
                    .contains("share_folder", "unshare_folder", "list_members");
        }
    }

    @Test
    void sharingAFolderMovesItsSubtreeIntoANewWorkspaceBothUsersList() {
        User ann = newUser("Ann");
        User bob = newUser("Bob");
        Item folder = project(ann);
        String annCursor = ann.changes(ann.home(), "").getNextCursor();
        List<String> chunks = new ArrayList<>();
        ann.changes(ann.home(), "").getItemsList().forEach(i -> chunks.addAll(i.getChunksList()));

        ShareFolderResponse shared = share(ann, folder, bob);

        String id = shared.getWorkspace().getWorkspaceId();
        assertThat(shared.getWorkspace().getShared()).isTrue();
        assertThat(shared.getWorkspace().getRole()).isEqualTo(MemberRole.MEMBER_ROLE_OWNER);
        assertThat(shared.getMembersList()).extracting(m -> m.getEmail()).containsExactly(ann.email(), bob.email());
        Workspace annView = ann.workspace(id);
        assertThat(annView.getName()).isEqualTo("Project");
        assertThat(annView.getMountPoint()).isEqualTo("Project");
        assertThat(annView.getOwnerUserId()).isEqualTo(ann.userId().toString());
        Workspace bobView = bob.workspace(id);
        assertThat(bobView.getName()).isEqualTo("Project");
        assertThat(bobView.getMountPoint()).isEmpty();
        assertThat(bobView.getRole()).isEqualTo(MemberRole.MEMBER_ROLE_MEMBER);

        GetChangesResponse bobSees = bob.changes(id, "");
        assertThat(bobSees.getItemsList()).extracting(Item::getName).containsExactly("a.txt", "sub", "b.txt");
        assertThat(bobSees.getItemsList()).allSatisfy(i -> {
            assertThat(i.getVersion()).isEqualTo(1);
            assertThat(i.getChangeSeq()).isEqualTo(1);
        });
        assertThat(bobSees.getItemsList().stream().flatMap(i -> i.getChunksList().stream()))
                .containsExactlyInAnyOrderElementsOf(chunks);
        Item b = bobSees.getItems(2);
        assertThat(b.getParentId()).isEqualTo(bobSees.getItems(1).getItemId());

        GetChangesResponse gone = ann.changes(ann.home(), annCursor);
        assertThat(gone.getItemsList()).hasSize(4).allSatisfy(i -> {
            assertThat(i.getStatus()).isEqualTo(ItemStatus.ITEM_STATUS_DELETED);
            assertThat(i.getChangeSeq()).isEqualTo(gone.getChangeSeq());
        });
        assertThat(ann.changes(ann.home(), "").getItemsList()).isEmpty();

        StorageLocation home = location(ann.workspace(ann.home()));
        StorageLocation place = location(annView);
        assertThat(storage.places()).contains(place);
        assertThat(storage.copies()).anySatisfy(copy -> {
            assertThat(copy.from()).isEqualTo(home);
            assertThat(copy.to()).isEqualTo(place);
            assertThat(copy.chunks()).containsExactlyInAnyOrderElementsOf(chunks);
        });
        assertThat(bob.client().listMembers(ListMembersRequest.newBuilder().setWorkspaceId(id).build())
                .getMembersList()).hasSize(2);
    }

    @Test
    void aMembersDeviceReceivesSharedAndThenTheNewWorkspacesCommitsWithoutResubscribing() throws Exception {
        User ann = newUser("Ann");
        User bob = newUser("Bob");
        String queue = bob.client().subscribeNotifications().getQueue();
        Item folder = project(ann);

        String id = share(ann, folder, bob).getWorkspace().getWorkspaceId();

        List<Notification> seen = until(queue, n -> n.hasCommit() && n.getCommit().getWorkspaceId().equals(id));
        Notification event = seen.stream().filter(Notification::hasWorkspace).findFirst().orElseThrow();
        assertThat(event.getWorkspace().getKind()).isEqualTo(WorkspaceEventKind.WORKSPACE_EVENT_KIND_SHARED);
        assertThat(event.getWorkspace().getWorkspace().getWorkspaceId()).isEqualTo(id);
        assertThat(event.getWorkspace().getWorkspace().getRole()).isEqualTo(MemberRole.MEMBER_ROLE_MEMBER);
        assertThat(seen.get(seen.size() - 1).getCommit().getChangeSeq()).isEqualTo(1);

        ann.commit(id, newFile("n", "new.txt", 5));

        Notification next = until(queue, n -> n.hasCommit() && n.getCommit().getWorkspaceId().equals(id))
                .get(0);
        assertThat(next.getCommit().getChangeSeq()).isEqualTo(2);
        assertThat(next.getCommit().getItems(0).getName()).isEqualTo("new.txt");
    }

    @Test
    void onlyTheOwnerMayShareOrRemoveOthers() {
        User ann = newUser("Ann");
        User bob = newUser("Bob");
        User carl = newUser("Carl");
        Item folder = project(ann);
        String id = share(ann, folder, bob, carl).getWorkspace().getWorkspaceId();

        // Bob is no member of Ann's default workspace: it does not exist for him.
        assertThat(errorOf(() -> bob.client().shareFolder(ShareFolderRequest.newBuilder()
                .setWorkspaceId(ann.home()).setFolderId(folder.getItemId()).addEmails(carl.email()).build())))
                .isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(errorOf(() -> bob.client().shareFolder(ShareFolderRequest.newBuilder()
                .setWorkspaceId(id).addEmails(ann.email()).build())))
                .isEqualTo(ErrorCode.ERROR_CODE_PERMISSION_DENIED);
        assertThat(errorOf(() -> bob.client().unshareFolder(UnshareFolderRequest.newBuilder()
                .setWorkspaceId(id).addEmails(carl.email()).build())))
                .isEqualTo(ErrorCode.ERROR_CODE_PERMISSION_DENIED);
        assertThat(errorOf(() -> ann.client().unshareFolder(UnshareFolderRequest.newBuilder()
                .setWorkspaceId(id).build())))
                .isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(errorOf(() -> ann.client().listMembers(ListMembersRequest.newBuilder()
                .setWorkspaceId(bob.home()).build())))
                .isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(ann.client().listMembers(ListMembersRequest.newBuilder().setWorkspaceId(id).build())
                .getMembersCount()).isEqualTo(3);
    }

    @Test
    void sharingWithAnUnknownEmailIsNotFoundAndChangesNothing() {
        User ann = newUser("Ann");
        Item folder = project(ann);
        int copies = storage.copies().size();

        assertThatThrownBy(() -> ann.client().shareFolder(ShareFolderRequest.newBuilder().setWorkspaceId(ann.home())
                .setFolderId(folder.getItemId()).addEmails("nobody-" + UUID.randomUUID() + "@example.org").build()))
                .isInstanceOfSatisfying(SyncServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
                    assertThat(e.getMessage()).contains("nobody-");
                });
        assertThat(errorOf(() -> ann.client().shareFolder(ShareFolderRequest.newBuilder()
                .setWorkspaceId(ann.home()).setFolderId(folder.getItemId()).build())))
                .isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);

        assertThat(ann.client().listWorkspaces().getWorkspacesCount()).isEqualTo(1);
        assertThat(ann.changes(ann.home(), "").getItemsCount()).isEqualTo(4);
        assertThat(storage.copies()).hasSize(copies);
    }

    @Test
    void aRetriedShareCreatesOneWorkspace() {
        User ann = newUser("Ann");
        User bob = newUser("Bob");
        Item folder = project(ann);

        ShareFolderResponse first = share(ann, folder, "share-once", bob);
        ShareFolderResponse again = share(ann, folder, "share-once", bob);

        assertThat(again.getWorkspace().getWorkspaceId()).isEqualTo(first.getWorkspace().getWorkspaceId());
        assertThat(ann.client().listWorkspaces().getWorkspacesCount()).isEqualTo(2);
        assertThat(bob.client().listWorkspaces().getWorkspacesCount()).isEqualTo(2);
    }

    @Test
    void unshareRemovesTheMemberFromListingsChangesAndNotifications() throws Exception {
        User ann = newUser("Ann");
        User bob = newUser("Bob");
        User carl = newUser("Carl");
        String bobQueue = bob.client().subscribeNotifications().getQueue();
        String carlQueue = carl.client().subscribeNotifications().getQueue();
        Item folder = project(ann);
        String id = share(ann, folder, bob, carl).getWorkspace().getWorkspaceId();
        until(bobQueue, n -> n.hasCommit() && n.getCommit().getWorkspaceId().equals(id));
        until(carlQueue, n -> n.hasCommit() && n.getCommit().getWorkspaceId().equals(id));

        UnshareFolderResponse left = ann.client().unshareFolder(UnshareFolderRequest.newBuilder()
                .setWorkspaceId(id).addEmails(bob.email()).build());

        assertThat(left.getMembersList()).extracting(m -> m.getEmail()).containsExactly(ann.email(), carl.email());
        assertThat(bob.client().listWorkspaces().getWorkspacesList()).extracting(Workspace::getWorkspaceId)
                .doesNotContain(id);
        assertThat(errorOf(() -> bob.changes(id, ""))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        Notification unshared = until(bobQueue, Notification::hasWorkspace).get(0);
        assertThat(unshared.getWorkspace().getKind()).isEqualTo(WorkspaceEventKind.WORKSPACE_EVENT_KIND_UNSHARED);
        // Membership is the only access to storage: Bob gets no signed URL for the workspace now.
        assertThat(errorOf(() -> bob.client().getStorageUrls(org.syncservice.protocol.v1.GetStorageUrlsRequest
                .newBuilder().setWorkspaceId(id).setAccess(org.syncservice.protocol.v1.StorageAccess.STORAGE_ACCESS_READ)
                .addChunks("c_0123456789").build()))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);

        ann.commit(id, newFile("n", "after.txt", 5));

        until(carlQueue, n -> n.hasCommit() && n.getCommit().getWorkspaceId().equals(id)
                && n.getCommit().getChangeSeq() == 2);
        Thread.sleep(500);
        for (GetResponse m = broker.basicGet(bobQueue, true); m != null; m = broker.basicGet(bobQueue, true)) {
            Notification n = Notification.parseFrom(m.getBody());
            assertThat(n.hasCommit() && n.getCommit().getWorkspaceId().equals(id)).as("%s", n).isFalse();
        }
    }

    @Test
    void theLastMemberLeavingReturnsTheItemsToTheOwnersDefaultWorkspace() {
        User ann = newUser("Ann");
        User bob = newUser("Bob");
        Item folder = project(ann);
        String id = share(ann, folder, bob).getWorkspace().getWorkspaceId();
        StorageLocation place = location(ann.workspace(id));
        // The name is free again until the items come back: something else takes it meanwhile.
        ann.commit(ann.home(), newFolder("x", "Project"));

        UnshareFolderResponse left = bob.client().unshareFolder(UnshareFolderRequest.newBuilder()
                .setWorkspaceId(id).build());

        assertThat(left.getMembersList()).isEmpty();
        assertThat(ann.client().listWorkspaces().getWorkspacesCount()).isEqualTo(1);
        assertThat(bob.client().listWorkspaces().getWorkspacesCount()).isEqualTo(1);
        List<Item> home = ann.changes(ann.home(), "").getItemsList();
        Item back = home.stream().filter(i -> i.getName().equals("Project (shared)")).findFirst().orElseThrow();
        assertThat(back.getIsFolder()).isTrue();
        assertThat(home).filteredOn(i -> i.getParentId() == back.getItemId()).extracting(Item::getName)
                .containsExactlyInAnyOrder("a.txt", "sub");
        assertThat(home).extracting(Item::getName).contains("b.txt");
        assertThat(storage.places()).doesNotContain(place);
        assertThat(storage.copies()).anySatisfy(copy -> {
            assertThat(copy.from()).isEqualTo(place);
            assertThat(copy.to()).isEqualTo(location(ann.workspace(ann.home())));
        });
    }

    private static StorageLocation location(Workspace workspace) {
        return new StorageLocation(storage.backend(), workspace.getStorage().getContainer(),
                workspace.getStorage().getPrefix());
    }

    private static List<Notification> until(String queue, Predicate<Notification> last) throws Exception {
        return QueuedNotifications.until(broker, queue, last, PATIENCE);
    }
}
