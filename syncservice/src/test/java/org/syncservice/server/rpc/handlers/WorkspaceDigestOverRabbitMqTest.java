package org.syncservice.server.rpc.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.client.WorkspaceDigest;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetWorkspaceDigestRequest;
import org.syncservice.protocol.v1.GetWorkspaceDigestResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.server.testing.CommitItems;
import org.syncservice.server.testing.RunningService;

/** get_workspace_digest against the running service: what it sums up, who may ask, and its snapshot. */
class WorkspaceDigestOverRabbitMqTest {
    /** Commits while digests are taken; {@code -Ddigest.commits=5000} for a long run. */
    private static final int COMMITS = Integer.getInteger("digest.commits", 150);
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static SyncClient loggedIn(String name) {
        String email = name.toLowerCase() + "-" + UUID.randomUUID() + "@example.org";
        service.service().components().accounts().createUser(email, name, "pw-secret", 1 << 30);
        SyncClient client = service.newClient();
        client.login(LoginRequest.newBuilder().setEmail(email).setPassword("pw-secret").setDeviceName("laptop")
                .setOs("linux").setAppVersion("1.0").build());
        return client;
    }

    private static String home(SyncClient client) {
        return client.listWorkspaces().getWorkspaces(0).getWorkspaceId();
    }

    private static GetWorkspaceDigestResponse digest(SyncClient client, String workspaceId) {
        return client.getWorkspaceDigest(GetWorkspaceDigestRequest.newBuilder().setWorkspaceId(workspaceId).build());
    }

    private static Item commitOne(SyncClient client, String workspaceId, CommitItem item) {
        CommitResponse response = client.commit(CommitRequest.newBuilder().setWorkspaceId(workspaceId).addItems(item).build());
        return response.getResults(0).getCurrent();
    }

    @Test
    void theDigestSumsUpTheLiveItemsAtTheirLatestVersionsAtTheWorkspacesChangeSeq() {
        try (SyncClient ann = loggedIn("Ann")) {
            String home = home(ann);
            assertThat(digest(ann, home)).isEqualTo(GetWorkspaceDigestResponse.newBuilder().setChangeSeq(0)
                    .setLiveItemCount(0).setDigest(WorkspaceDigest.of(Map.of()).digest()).build());
            Item one = commitOne(ann, home, CommitItems.newFolder("a", "One"));
            Item two = commitOne(ann, home, CommitItems.newFolder("b", "Two"));
            Item three = commitOne(ann, home, CommitItems.newFile("c", "three.txt", 5));
            commitOne(ann, home, CommitItems.renamed(one, "Uno"));
            commitOne(ann, home, CommitItems.deleted(two));

            GetWorkspaceDigestResponse digest = digest(ann, home);
            assertThat(digest.getChangeSeq()).isEqualTo(5);
            assertThat(digest.getLiveItemCount()).isEqualTo(2);
            assertThat(digest.getDigest()).isEqualTo(
                    WorkspaceDigest.of(Map.of(one.getItemId(), 2L, three.getItemId(), 1L)).digest());
            assertThat(ann.getServerInfo().getOperationsList()).contains("get_workspace_digest");
        }
    }

    @Test
    void aWorkspaceTheCallerMayNotSeeIsNotFoundAndABadIdIsNamed() {
        try (SyncClient ann = loggedIn("Ann"); SyncClient bob = loggedIn("Bob")) {
            assertThat(codeOf(() -> digest(bob, home(ann)))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
            assertThat(codeOf(() -> digest(bob, UUID.randomUUID().toString()))).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
            try {
                digest(bob, "not-a-uuid");
                throw new AssertionError("expected INVALID_ARGUMENT");
            } catch (SyncServiceException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
                assertThat(e.field()).contains("get_workspace_digest.workspace_id");
            }
        }
    }

    /**
     * While one device commits random changes, digests taken meanwhile each match the workspace's
     * state at exactly the number they name: the number and the items come from one snapshot.
     */
    @Test
    void everyDigestTakenDuringCommitsMatchesTheStateAtTheChangeSeqItNames() throws Exception {
        long seed = Long.getLong("digest.seed", System.nanoTime());
        String replay = "seed " + seed + " (replay with -Ddigest.seed=" + seed + ")";
        Random random = new Random(seed);
        try (SyncClient writer = loggedIn("Ann"); SyncClient reader = service.newClient()) {
            reader.setToken(writer.token().orElseThrow());
            String home = home(writer);
            Map<Long, String> expectedAt = new ConcurrentHashMap<>();
            expectedAt.put(0L, WorkspaceDigest.of(Map.of()).digest());
            AtomicBoolean done = new AtomicBoolean();
            List<GetWorkspaceDigestResponse> taken = new ArrayList<>();
            Thread digests = new Thread(() -> {
                while (!done.get()) {
                    taken.add(digest(reader, home));
                }
            });
            digests.start();
            Map<Long, Item> live = new HashMap<>();
            try {
                for (int i = 0; i < COMMITS; i++) {
                    CommitItem change;
                    List<Item> items = new ArrayList<>(live.values());
                    int kind = items.isEmpty() ? 0 : random.nextInt(3);
                    Item pick = items.isEmpty() ? null : items.get(random.nextInt(items.size()));
                    change = switch (kind) {
                        case 0 -> CommitItems.newFolder("n", "folder-" + i);
                        case 1 -> CommitItems.renamed(pick, "renamed-" + i);
                        default -> CommitItems.deleted(pick);
                    };
                    CommitResponse response = writer.commit(CommitRequest.newBuilder().setWorkspaceId(home)
                            .addItems(change).build());
                    Item current = response.getResults(0).getCurrent();
                    if (current.getStatus() == ItemStatus.ITEM_STATUS_DELETED) {
                        live.remove(current.getItemId());
                    } else {
                        live.put(current.getItemId(), current);
                    }
                    Map<Long, Long> versions = new HashMap<>();
                    live.forEach((id, item) -> versions.put(id, item.getVersion()));
                    expectedAt.put(response.getChangeSeq(), WorkspaceDigest.of(versions).digest());
                }
            } finally {
                done.set(true);
                digests.join();
            }
            assertThat(taken).as(replay).hasSizeGreaterThan(10);
            for (GetWorkspaceDigestResponse digest : taken) {
                assertThat(digest.getDigest()).as("%s: the digest at change %d", replay, digest.getChangeSeq())
                        .isEqualTo(expectedAt.get(digest.getChangeSeq()));
            }
        }
    }

    private static ErrorCode codeOf(Runnable call) {
        try {
            call.run();
        } catch (SyncServiceException e) {
            return e.code();
        }
        throw new AssertionError("expected the call to fail");
    }
}
