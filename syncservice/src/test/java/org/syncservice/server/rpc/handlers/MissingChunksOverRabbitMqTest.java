package org.syncservice.server.rpc.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.SignedUploads.upload;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetMissingChunksRequest;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.Request;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.rpc.BrokerIdentities;
import org.syncservice.server.rpc.DeviceRateLimiter;
import org.syncservice.server.rpc.RequestObserver;
import org.syncservice.server.rpc.HandlerRegistry;
import org.syncservice.server.rpc.RequestProcessor;
import org.syncservice.server.testing.TestRequest;
import org.syncservice.server.testing.CommitItems;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.ServiceOnS3;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/** get_missing_chunks end to end, with real S3 (S3Proxy): SyncClient -> RabbitMQ -> service -> S3. */
class MissingChunksOverRabbitMqTest {
    private static final int MAX_CHUNKS = 5;
    private static ServiceOnS3 onS3;
    private static RunningService service;
    private static SyncFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        onS3 = ServiceOnS3.start(Map.of("limits.max-chunks-per-item", Integer.toString(MAX_CHUNKS)));
        service = onS3.service();
        fixture = new SyncFixture(service);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        onS3.close();
    }

    private static String newChunk() {
        return "c_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static GetMissingChunksRequest ask(String workspaceId, String... chunks) {
        return GetMissingChunksRequest.newBuilder().setWorkspaceId(workspaceId).addAllChunks(List.of(chunks)).build();
    }

    private static List<String> missing(SyncDevice device, String... chunks) {
        return device.client().getMissingChunks(ask(device.workspace(), chunks)).getMissingList();
    }

    private static SyncServiceException refusal(Runnable call) {
        try {
            call.run();
        } catch (SyncServiceException e) {
            assertThat(e.isLocal()).isFalse();
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    @Test
    void onlyTheChunksNotUploadedAreMissingInRequestOrderAndEachOnce() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        String uploaded = newChunk();
        String neverUploaded = newChunk();
        String alsoMissing = newChunk();
        upload(ann.client(), ann.workspace(), uploaded, "bytes of a chunk");

        List<String> missing = missing(ann, neverUploaded, uploaded, alsoMissing, neverUploaded);
        List<String> again = ann.client().getMissingChunks(ask(ann.workspace(), uploaded), "retry-" + UUID.randomUUID())
                .getMissingList();

        assertThat(missing).containsExactly(neverUploaded, alsoMissing);
        assertThat(again).isEmpty();
    }

    @Test
    void aChunkThatAnotherWorkspaceHoldsIsMissingInThisOne() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice bob = fixture.newUser("Bob");
        String chunk = newChunk();
        upload(bob.client(), bob.workspace(), chunk, "bytes of a chunk");

        assertThat(missing(ann, chunk)).containsExactly(chunk);
        assertThat(missing(bob, chunk)).isEmpty();
    }

    @Test
    void aCommittedChunkThatWasNeverUploadedIsMissing() {
        SyncDevice ann = fixture.newUser("Ann");
        // storage.verify-chunks is off: the commit names a chunk that is not stored.
        Item file = ann.create(CommitItems.newFile("f", "report.txt", 5));

        assertThat(missing(ann, file.getChunks(0))).containsExactly(file.getChunks(0));
    }

    @Test
    void aNonMemberGetsNotFound() {
        SyncDevice ann = fixture.newUser("Ann");
        SyncClient eve = fixture.newUser("Eve").client();
        String chunk = newChunk();

        assertThat(refusal(() -> eve.getMissingChunks(ask(ann.workspace(), chunk))).code())
                .isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(refusal(() -> eve.getMissingChunks(ask(UUID.randomUUID().toString(), chunk))).code())
                .isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
    }

    @Test
    void aBadChunkNameIsRefusedNamingItsEntry() {
        SyncDevice ann = fixture.newUser("Ann");

        SyncServiceException badName = refusal(() -> missing(ann, newChunk(), newChunk(), "../../etc/passwd"));
        SyncServiceException none = refusal(() -> missing(ann));
        SyncServiceException badWorkspace = refusal(() -> ann.client().getMissingChunks(ask("not-a-uuid", newChunk())));

        assertThat(badName.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(badName.field()).contains("get_missing_chunks.chunks[2]");
        assertThat(none.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(none.field()).contains("get_missing_chunks.chunks");
        assertThat(badWorkspace.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(badWorkspace.field()).contains("get_missing_chunks.workspace_id");
    }

    @Test
    void moreChunksThanMaxChunksPerItemAreRefused() {
        SyncDevice ann = fixture.newUser("Ann");
        List<String> most = new ArrayList<>();
        for (int i = 0; i < MAX_CHUNKS; i++) {
            most.add(newChunk());
        }
        List<String> tooMany = new ArrayList<>(most);
        tooMany.add(newChunk());

        List<String> missing = missing(ann, most.toArray(String[]::new));
        SyncServiceException refused = refusal(() -> missing(ann, tooMany.toArray(String[]::new)));

        assertThat(missing).containsExactlyElementsOf(most);
        assertThat(refused.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(refused.field()).contains("get_missing_chunks.chunks");
        assertThat(refused.getMessage()).contains("max_chunks_per_item");
    }

    @Test
    void serverInfoListsTheOperation() {
        try (SyncClient client = service.newClient()) {
            assertThat(client.getServerInfo().getOperationsList()).contains("get_missing_chunks");
        }
    }

    @Test
    void theOperationIsServedApartFromTheCommits() {
        SyncDevice ann = fixture.newUser("Ann");
        String token = ann.client().token().orElseThrow();
        ServiceComponents components = service.service().components();
        HandlerRegistry handlers = components.addHandlers(HandlerRegistry.builder())
                .build(operations -> new ServerInfoHandler("test", service.config().limits(),
                        service.config().storage().backend(), "notifications", operations, Clock.systemUTC()));
        TestRequest.HeldTasks apart = new TestRequest.HeldTasks();
        RequestProcessor processor = new RequestProcessor(service.config().limits().maxMessageBytes(), handlers,
                components.authenticator(), DeviceRateLimiter.unlimited(), Clock.systemUTC(), RequestObserver.NONE,
                BrokerIdentities.unchecked(), apart);
        TestRequest commit = new TestRequest(Request.newBuilder().setRequestId("c").setToken(token)
                .setCommit(CommitRequest.newBuilder().setWorkspaceId(ann.workspace())).build().toByteArray());
        TestRequest missing = new TestRequest(Request.newBuilder().setRequestId("m").setToken(token)
                .setGetMissingChunks(ask(ann.workspace(), newChunk())).build().toByteArray());

        processor.accept(List.of(commit, missing));

        assertThat(commit.answered()).as("the commit, served on the thread that handed it in").isTrue();
        assertThat(missing.answered()).as("served on amqp.other-request-threads, not the commit worker").isFalse();
        apart.runAll();
        assertThat(missing.outcome().succeeded()).isTrue();
    }
}
