package org.syncservice.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.rpc.handlers.ServerInfoHandler;
import org.syncservice.server.testing.RandomRequests;
import org.syncservice.server.testing.InMemoryChunkStorage;
import org.syncservice.server.testing.NoDeviceQueues;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.testing.TestDatabase;

/**
 * The request processor, wired over a real database as the service wires it, fed garbage and
 * hostile requests: whatever comes in, it answers (never throws), never with INTERNAL, and echoes
 * the request id whenever the body parsed. A failure prints jqwik's seed; the structured cases
 * are reproduced from their own {@code seed} parameter too.
 */
class RequestProcessorFuzzTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final Map<String, Integer> ANSWERS = new java.util.TreeMap<>();

    private static TestDatabase database;
    private static RequestProcessor processor;
    private static int maxMessageBytes;
    private static String workspace;
    private static String email;
    private static String password;
    private static volatile String token;
    private static final List<String> knownIds = new ArrayList<>();
    private static final List<Long> knownNumbers = new ArrayList<>();

    @BeforeContainer
    static void wire() throws SQLException {
        database = TestDatabase.create();
        ServiceConfig config = TestComponents.config(database, Map.of());
        ServiceComponents components = new ServiceComponents(database.dataSource(), config,
                new InMemoryChunkStorage(config.storage().backend()), CLOCK, new NoDeviceQueues(), () -> { });
        HandlerRegistry handlers = components.addHandlers(HandlerRegistry.builder())
                .build(operations -> new ServerInfoHandler("fuzz", config.limits(), config.storage().backend(),
                        config.amqp().notificationExchange(), operations, CLOCK));
        maxMessageBytes = config.limits().maxMessageBytes();
        processor = new RequestProcessor(config.limits().maxMessageBytes(), handlers, components.authenticator(),
                DeviceRateLimiter.unlimited(), CLOCK);

        email = "fuzz-" + UUID.randomUUID() + "@example.org";
        password = "pw-" + UUID.randomUUID();
        var user = components.accounts().createUser(email, "Fuzz", password, 1L << 40);
        var other = components.accounts().createUser("other-" + UUID.randomUUID() + "@example.org", "Other",
                "pw-" + UUID.randomUUID(), 1L << 40);
        logIn();
        workspace = user.defaultWorkspaceId().toString();
        knownIds.addAll(List.of(workspace, user.userId().toString(), other.defaultWorkspaceId().toString(),
                other.userId().toString()));
        // A small tree, so random ids and versions hit real items.
        Response commit = call(Request.newBuilder().setToken(token).setCommit(CommitRequest.newBuilder()
                .setWorkspaceId(workspace)
                .addItems(CommitItem.newBuilder().setTempId("d").setVersion(1).setStatus(ItemStatus.ITEM_STATUS_NEW)
                        .setName("docs").setIsFolder(true))
                .addItems(CommitItem.newBuilder().setTempId("f").setParentTempId("d").setVersion(1)
                        .setStatus(ItemStatus.ITEM_STATUS_NEW).setName("a.txt").setMimeType("text/plain")
                        .setSize(10).setChecksum("sha256:00").addChunks("chunk-000001"))));
        assertThat(commit.hasCommit()).as("setup commit: %s", commit).isTrue();
        commit.getCommit().getResultsList().forEach(r -> knownNumbers.add(r.getCurrent().getItemId()));
        knownNumbers.add(commit.getCommit().getChangeSeq());
        Response changes = call(Request.newBuilder().setToken(token)
                .setGetChanges(GetChangesRequest.newBuilder().setWorkspaceId(workspace).setPageSize(1)));
        knownIds.add(changes.getGetChanges().getNextCursor());
        changes.getGetChanges().getItemsList().stream().map(Item::getItemId).forEach(knownNumbers::add);
    }

    @AfterContainer
    static void drop() throws SQLException {
        System.out.println("fuzzed answers by operation and code: " + ANSWERS);
        database.close();
    }

    @Property(tries = 400)
    void arbitraryBytesAreAnsweredWithoutInternalErrors(@ForAll @Size(max = 2048) byte[] body) {
        assertAnsweredWell(body);
    }

    @Property(tries = 400)
    void validRequestsWithFlippedBytesAreAnsweredWithoutInternalErrors(@ForAll("operations") FieldDescriptor operation,
                                                                     @ForAll long seed) {
        RandomRequests random = new RandomRequests(seed, knownIds, knownNumbers);
        byte[] body = random.request(operation, token, "req-" + REQUESTS.incrementAndGet()).toByteArray();
        java.util.Random flips = new java.util.Random(seed);
        int count = 1 + flips.nextInt(4);
        for (int i = 0; i < count && body.length > 0; i++) {
            body[flips.nextInt(body.length)] = (byte) flips.nextInt(256);
        }
        assertAnsweredWell(body);
    }

    @Property(tries = 1200)
    void everyOperationWithHostileFieldsIsAnsweredWithoutInternalErrors(
            @ForAll("operations") FieldDescriptor operation, @ForAll("tokens") String tokenKind, @ForAll long seed) {
        RandomRequests random = new RandomRequests(seed, knownIds, knownNumbers);
        String requestId = "req-" + REQUESTS.incrementAndGet();
        Request request = random.request(operation, tokenFor(tokenKind, random), requestId);

        Response response = assertAnsweredWell(request.toByteArray());

        if (!response.hasError() && (request.hasUnregisterDevice() || request.hasLogin())) {
            logIn(); // the fuzzing device may have unregistered itself, or logged in as another
        }
    }

    @Property(tries = 400)
    void plausibleCommitsWithHostileFieldsAreAnsweredWithoutInternalErrors(@ForAll long seed) {
        RandomRequests random = new RandomRequests(seed, knownIds, knownNumbers);
        Response response = assertAnsweredWell(random.plausibleCommit(workspace, token,
                "req-" + REQUESTS.incrementAndGet()).toByteArray());
        if (response.hasCommit()) {
            response.getCommit().getResultsList().forEach(r -> {
                if (r.hasCurrent() && r.getCurrent().getItemId() > 0) {
                    knownNumbers.add(r.getCurrent().getItemId());
                }
            });
        }
    }

    // Found by the properties above: each answered INTERNAL (the database refused the value).

    @Example
    void aLoginEmailWithANulCharacterIsInvalidArgumentNamingTheField() {
        Response response = assertAnsweredWell(Request.newBuilder().setRequestId("nul-email")
                .setLogin(LoginRequest.newBuilder().setEmail("a\u0000@example.org").setPassword("pw")
                        .setDeviceName("d").setOs("linux").setAppVersion("1")).build().toByteArray());

        assertThat(response.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(response.getError().getField()).isEqualTo("login.email");
    }

    @Example
    void aShareOrUnshareEmailWithANulCharacterIsInvalidArgumentNamingTheField() {
        logIn(); // the random properties may have unregistered the device the token belongs to
        Response share = assertAnsweredWell(Request.newBuilder().setRequestId("nul-share").setToken(token)
                .setShareFolder(org.syncservice.protocol.v1.ShareFolderRequest.newBuilder().setWorkspaceId(workspace)
                        .setFolderId(1).addEmails("b\u0000@example.org")).build().toByteArray());
        Response unshare = assertAnsweredWell(Request.newBuilder().setRequestId("nul-unshare").setToken(token)
                .setUnshareFolder(org.syncservice.protocol.v1.UnshareFolderRequest.newBuilder()
                        .setWorkspaceId(workspace).addEmails("b\u0000@example.org")).build().toByteArray());

        assertThat(share.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(share.getError().getField()).isEqualTo("share_folder.emails");
        // The caller's default workspace is not shared: refused before its emails are read; either
        // way never an internal error (assertAnsweredWell).
        assertThat(unshare.getError().getCode()).isIn(ErrorCode.ERROR_CODE_INVALID_ARGUMENT,
                ErrorCode.ERROR_CODE_NOT_FOUND);
    }

    @Example
    void aModificationTimeBeyondTheYear9999IsRejectedNamingTheField() {
        logIn(); // the random properties may have unregistered the device the token belongs to
        Response response = assertAnsweredWell(Request.newBuilder().setRequestId("far-future").setToken(token)
                .setCommit(CommitRequest.newBuilder().setWorkspaceId(workspace).addItems(CommitItem.newBuilder()
                        .setTempId("t").setVersion(1).setStatus(ItemStatus.ITEM_STATUS_NEW).setName("future.txt")
                        .setMimeType("text/plain").setSize(1).setChecksum("sha256:00").addChunks("chunk-000002")
                        .setModifiedAtMs(Long.MAX_VALUE))).build().toByteArray());

        var result = response.getCommit().getResults(0);
        assertThat(result.getOutcome()).isEqualTo(org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_REJECTED);
        assertThat(result.toString()).contains("modified_at_ms");
    }

    @Provide
    Arbitrary<FieldDescriptor> operations() {
        return Arbitraries.of(RandomRequests.operations());
    }

    @Provide
    Arbitrary<String> tokens() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("valid")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("none")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("random")));
    }

    private static String tokenFor(String kind, RandomRequests random) {
        return switch (kind) {
            case "valid" -> token;
            case "none" -> "";
            default -> java.util.Base64.getUrlEncoder().encodeToString(random.bytes(32));
        };
    }

    private static Response assertAnsweredWell(byte[] body) {
        RpcOutcome outcome = processor.process(body);
        Response response = outcome.response();
        ANSWERS.merge(outcome.operation() + ":" + outcome.error().name().replace("ERROR_CODE_", ""), 1, Integer::sum);
        assertThat(response).isNotNull();
        assertThat(outcome.error()).as("answer to %s", response).isNotEqualTo(ErrorCode.ERROR_CODE_INTERNAL);
        assertThat(response.hasError() || response.getResultCase() != Response.ResultCase.RESULT_NOT_SET)
                .as("the response carries a result or an error").isTrue();
        if (response.hasError()) {
            assertThat(response.getError().getCode()).isNotEqualTo(ErrorCode.ERROR_CODE_UNSPECIFIED);
            assertThat(response.getError().getMessage()).isNotBlank()
                    .doesNotContainIgnoringCase("SQLState").doesNotContain("Exception").doesNotContain("\tat ");
        }
        if (body.length > maxMessageBytes) {
            // Refused before parsing, by design: the request id of an oversize body is not read.
            assertThat(response.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
            assertThat(response.getError().getMessage()).contains("max_message_bytes");
            return response;
        }
        try {
            Request parsed = Request.parseFrom(body);
            if (!parsed.getRequestId().isEmpty()) {
                assertThat(response.getRequestId()).isEqualTo(parsed.getRequestId());
            }
        } catch (InvalidProtocolBufferException e) {
            assertThat(response.getError().getCode()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        }
        // The answer must itself be a well-formed message a client can decode.
        try {
            Response.parseFrom(response.toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("the answer does not decode", e);
        }
        return response;
    }

    private static void logIn() {
        Response login = call(Request.newBuilder().setLogin(LoginRequest.newBuilder().setEmail(email)
                .setPassword(password).setDeviceName("fuzzer").setOs("linux").setAppVersion("1.0")));
        assertThat(login.hasLogin()).as("login: %s", login).isTrue();
        token = login.getLogin().getToken();
        knownIds.add(login.getLogin().getDeviceId());
    }

    private static Response call(Request.Builder request) {
        return processor.process(request.setRequestId("setup-" + REQUESTS.incrementAndGet()).build().toByteArray())
                .response();
    }
}
