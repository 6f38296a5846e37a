package org.syncservice.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.protocol.v1.ShareFolderResponse;
import org.syncservice.server.testing.BlockingCopyStorage;
import org.syncservice.server.testing.InMemoryChunkStorage;
import org.syncservice.server.testing.RunningService;

/**
 * Over the real broker and database: a request that waits on the storage back-end is served on
 * the pool, so the commits of the same instance go on meanwhile.
 */
class SlowRequestsApartFromCommitsTest {
    /** Far below how long the share stays blocked; a commit here takes milliseconds. */
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @Test
    void commitsOfAnotherUserCompleteWhileAShareIsBlockedCopyingChunks() throws Exception {
        BlockingCopyStorage[] storage = new BlockingCopyStorage[1];
        // One consumer: every request of the instance reaches the same channel and its commit worker.
        try (RunningService service = RunningService.start(Map.of("amqp.consumers", "1"), config -> {
            storage[0] = new BlockingCopyStorage(new InMemoryChunkStorage(config.storage().backend()));
            return storage[0];
        }); SyncClient ann = login(service, "ann"); SyncClient bob = login(service, "bob");
             SyncClient cid = login(service, "cid")) {
            ExecutorService callers = Executors.newCachedThreadPool();
            try {
                String annHome = ann.listWorkspaces().getWorkspaces(0).getWorkspaceId();
                CommitResponse project = ann.commit(CommitRequest.newBuilder().setWorkspaceId(annHome)
                        .addItems(newFolder("p", "Project")).addItems(newFile("a", "p", "a.txt", 10)).build());
                long folderId = project.getResults(0).getCurrent().getItemId();
                String bobHome = bob.listWorkspaces().getWorkspaces(0).getWorkspaceId();

                Future<ShareFolderResponse> share = callers.submit(() -> ann.shareFolder(ShareFolderRequest
                        .newBuilder().setWorkspaceId(annHome).setFolderId(folderId).addEmails(email(cid)).build(),
                        SyncClient.newRequestId()));
                if (!storage[0].awaitCopying(Duration.ofSeconds(20))) {
                    throw new AssertionError("the share never reached storage: " + (share.isDone() ? share.get() : ""));
                }

                for (int i = 0; i < 3; i++) {
                    CommitRequest commit = CommitRequest.newBuilder().setWorkspaceId(bobHome)
                            .addItems(newFile("f", "bob-" + i + ".txt", 10)).build();
                    CompletableFuture<CommitResponse> answer = CompletableFuture.supplyAsync(
                            () -> bob.commit(commit), callers);
                    CommitResponse committed = answer.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(committed.getResults(0).getOutcome()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
                }
                assertThat(share.isDone()).as("the share is still blocked in storage").isFalse();

                storage[0].release();
                assertThat(share.get(20, TimeUnit.SECONDS).getWorkspace().getShared()).isTrue();
            } finally {
                storage[0].release();
                callers.shutdownNow();
            }
        }
    }

    private static String email(SyncClient client) {
        return client.getAccountInfo().getAccount().getEmail();
    }

    private static SyncClient login(RunningService service, String name) {
        String email = name + "-" + UUID.randomUUID() + "@example.org";
        String password = "pw-" + UUID.randomUUID();
        service.service().components().accounts().createUser(email, name, password, 1 << 30);
        SyncClient client = service.newClient();
        client.login(LoginRequest.newBuilder().setEmail(email).setPassword(password).setDeviceName("laptop")
                .setOs("linux").setAppVersion("1.0").build());
        return client;
    }
}
