package org.syncservice.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.SignedUploads.upload;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.RejectReason;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.ServiceOnS3;

/** storage.verify-chunks on, with real S3 (S3Proxy): a commit may only name chunks that were uploaded. */
class ChunkVerificationOverRabbitMqTest {
    private static ServiceOnS3 onS3;
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        onS3 = ServiceOnS3.start(Map.of("storage.verify-chunks", "true"));
        service = onS3.service();
    }

    @AfterAll
    static void stop() throws Exception {
        onS3.close();
    }

    @Test
    void aCommitNamingAChunkThatWasNeverUploadedIsRejectedUntilItIs() throws Exception {
        String email = "ann-" + UUID.randomUUID() + "@example.org";
        service.service().components().accounts().createUser(email, "Ann", "pw", 1 << 20);
        try (SyncClient ann = service.newClient()) {
            ann.login(LoginRequest.newBuilder().setEmail(email).setPassword("pw").setDeviceName("laptop").build());
            String workspace = ann.listWorkspaces().getWorkspaces(0).getWorkspaceId();
            String chunk = "c_" + UUID.randomUUID().toString().replace("-", "");
            CommitRequest commit = CommitRequest.newBuilder().setWorkspaceId(workspace)
                    .addItems(CommitItem.newBuilder().setTempId("f").setVersion(1)
                            .setStatus(ItemStatus.ITEM_STATUS_NEW).setName("report.txt").setSize(5)
                            .setChecksum("sha256:0").addChunks(chunk))
                    .build();

            CommitItemResult before = ann.commit(commit).getResults(0);
            upload(ann, workspace, chunk, "hello");
            CommitItemResult after = ann.commit(commit).getResults(0);

            assertThat(before.getOutcome()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_REJECTED);
            assertThat(before.getReason()).isEqualTo(RejectReason.REJECT_REASON_CHUNKS_MISSING);
            assertThat(before.getMessage()).contains(chunk);
            assertThat(after.getOutcome()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
        }
    }

    /** Quota charges the declared size, so it must be what storage holds: here 5 bytes declared as 1. */
    @Test
    void aCommitDeclaringLessThanItsChunksHoldIsRejectedNamingBothSizes() throws Exception {
        String email = "bob-" + UUID.randomUUID() + "@example.org";
        service.service().components().accounts().createUser(email, "Bob", "pw", 1 << 20);
        try (SyncClient bob = service.newClient()) {
            bob.login(LoginRequest.newBuilder().setEmail(email).setPassword("pw").setDeviceName("laptop").build());
            String workspace = bob.listWorkspaces().getWorkspaces(0).getWorkspaceId();
            String chunk = "c_" + UUID.randomUUID().toString().replace("-", "");
            upload(bob, workspace, chunk, "hello");
            CommitItem.Builder item = CommitItem.newBuilder().setTempId("f").setVersion(1)
                    .setStatus(ItemStatus.ITEM_STATUS_NEW).setName("small.txt").setChecksum("sha256:0")
                    .addChunks(chunk);

            CommitItemResult understated = bob.commit(CommitRequest.newBuilder().setWorkspaceId(workspace)
                    .addItems(item.clone().setSize(1)).build()).getResults(0);
            CommitItemResult honest = bob.commit(CommitRequest.newBuilder().setWorkspaceId(workspace)
                    .addItems(item.clone().setSize(5)).build()).getResults(0);

            assertThat(understated.getOutcome()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_REJECTED);
            assertThat(understated.getReason()).isEqualTo(RejectReason.REJECT_REASON_INVALID_FIELD);
            assertThat(understated.getMessage()).contains("declares 1 bytes", "hold 5");
            assertThat(honest.getOutcome()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
            assertThat(bob.getAccountInfo().getAccount().getQuotaUsedBytes()).isEqualTo(5);
        }
    }
}
