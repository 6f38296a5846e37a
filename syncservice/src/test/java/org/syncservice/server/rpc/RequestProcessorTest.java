package org.syncservice.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetAccountInfoRequest;
import org.syncservice.protocol.v1.GetServerInfoRequest;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.config.LimitsConfig;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.testing.TestRequest;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.rpc.handlers.ServerInfoHandler;

class RequestProcessorTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final int MAX_BYTES = 4096;
    private static final String VALID_TOKEN = "valid-token";
    private static final Principal CALLER = new Principal(UUID.randomUUID(), UUID.randomUUID());

    private final AtomicReference<CallContext> lastCall = new AtomicReference<>();

    private RequestProcessor processor(OperationHandler... handlers) {
        return processor(Runnable::run, handlers);
    }

    private RequestProcessor processor(Executor apart, OperationHandler... handlers) {
        HandlerRegistry.Builder builder = HandlerRegistry.builder();
        for (OperationHandler handler : handlers) {
            builder.add(handler);
        }
        LimitsConfig limits = new LimitsConfig(MAX_BYTES, 1000, 10000, 255, 500, 5000, 1L << 40,
                Pattern.compile("[A-Za-z0-9_-]{8,128}"), 0, 1 << 20);
        HandlerRegistry registry = builder.build(operations -> new ServerInfoHandler("1.2.3", limits,
                StorageConfig.Backend.S3, "syncservice.notifications", operations, CLOCK));
        return new RequestProcessor(MAX_BYTES, registry, token -> {
            if (!token.equals(VALID_TOKEN)) {
                throw ServiceException.unauthenticated("unknown device token");
            }
            return CALLER;
        }, DeviceRateLimiter.unlimited(), CLOCK, RequestObserver.NONE, BrokerIdentities.unchecked(), apart);
    }

    private OperationHandler accountInfoHandler() {
        return new OperationHandler() {
            @Override
            public Request.OperationCase operation() {
                return Request.OperationCase.GET_ACCOUNT_INFO;
            }

            @Override
            public void handle(Request request, CallContext call, Response.Builder response) {
                lastCall.set(call);
                response.getGetAccountInfoBuilder().getAccountBuilder().setUserId(call.caller().userId().toString());
            }
        };
    }

    private static Request.Builder serverInfo() {
        return Request.newBuilder().setRequestId("r-1").setGetServerInfo(GetServerInfoRequest.getDefaultInstance());
    }

    @Test
    void serverInfoAnnouncesVersionLimitsAndImplementedOperations() {
        RpcOutcome outcome = processor(accountInfoHandler()).process(serverInfo().build().toByteArray());

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.response().getRequestId()).isEqualTo("r-1");
        var info = outcome.response().getGetServerInfo();
        assertThat(info.getServerVersion()).isEqualTo("1.2.3");
        assertThat(info.getProtocolVersion()).isEqualTo(1);
        assertThat(info.getOperationsList()).containsExactly("get_server_info", "get_account_info");
        assertThat(info.getLimits().getMaxMessageBytes()).isEqualTo(MAX_BYTES);
        assertThat(info.getLimits().getChunkNamePattern()).isEqualTo("[A-Za-z0-9_-]{8,128}");
        assertThat(info.getLimits().getPageByteBudget()).isEqualTo(1 << 20);
        assertThat(info.getServerTimeMs()).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void requestsServedApartGoToTheirExecutorAndTheOthersAreAnsweredOnTheCallersThread() {
        OperationHandler batch = together(calls -> calls.forEach(call -> {
            call.response().getCommitBuilder().setChangeSeq(calls.size());
            call.succeed();
        }));
        byte[] commit = Request.newBuilder().setRequestId("r-c").setToken(VALID_TOKEN)
                .setCommit(CommitRequest.getDefaultInstance()).build().toByteArray();
        TestRequest.HeldTasks apart = new TestRequest.HeldTasks();
        List<TestRequest> requests = Stream.of(commit, serverInfo().build().toByteArray(), new byte[] {(byte) 0xff},
                commit, serverInfo().setRequestId("r-2").build().toByteArray()).map(TestRequest::new).toList();

        processor(apart, batch).accept(requests);

        assertThat(apart.size()).as("the two server-info requests, handed to the pool").isEqualTo(2);
        assertThat(requests.get(0).outcome().response().getCommit().getChangeSeq()).as("both commits in one batch")
                .isEqualTo(2);
        assertThat(requests.get(3).outcome().response().getCommit().getChangeSeq()).isEqualTo(2);
        assertError(requests.get(2).outcome(), ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(requests.get(1).answered()).isFalse();
        assertThat(requests.get(4).answered()).isFalse();
        apart.runAll();
        assertThat(requests.get(4).outcome().response().getRequestId()).isEqualTo("r-2");
        assertThat(requests.get(1).outcome().succeeded()).isTrue();
    }

    /** A handler of commits together that serves them as {@code serve} says. */
    private static OperationHandler together(java.util.function.Consumer<List<OperationHandler.Call>> serve) {
        return new OperationHandler() {
            @Override
            public Request.OperationCase operation() {
                return Request.OperationCase.COMMIT;
            }

            @Override
            public Scheduling scheduling() {
                return Scheduling.TOGETHER;
            }

            @Override
            public void handle(Request request, CallContext call, Response.Builder response) {
                throw new AssertionError("served together only");
            }

            @Override
            public void handleAll(List<Call> calls) {
                serve.accept(calls);
            }
        };
    }

    private static List<byte[]> commits(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> Request.newBuilder().setRequestId("c-" + i)
                .setToken(VALID_TOKEN).setCommit(CommitRequest.getDefaultInstance()).build().toByteArray()).toList();
    }

    @Test
    void aCallCompletedTwiceIsAnsweredOnceWithTheFirstCompletion() {
        java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
        RpcOutcome[] first = new RpcOutcome[1];
        IncomingRequest counted = new IncomingRequest() {
            @Override
            public byte[] body() {
                return commits(1).get(0);
            }

            @Override
            public String publisher() {
                return null;
            }

            @Override
            public void answer(RpcOutcome outcome) {
                if (answers.incrementAndGet() == 1) {
                    first[0] = outcome;
                }
            }
        };

        processor(together(calls -> {
            calls.get(0).response().getCommitBuilder().setChangeSeq(7);
            calls.get(0).succeed();
            calls.get(0).fail(ServiceException.invalidArgument("commit", "too late"));
            calls.get(0).succeed();
        })).accept(List.of(counted));

        assertThat(answers.get()).isEqualTo(1);
        assertThat(first[0].response().getCommit().getChangeSeq()).isEqualTo(7);
    }

    @Test
    void callsAHandlerLeavesUnansweredOrThrowsOverAreAnsweredAsInternalErrors() {
        List<TestRequest> leftOver = commits(3).stream().map(TestRequest::new).toList();
        processor(together(calls -> {
            calls.get(1).response().getCommitBuilder().setChangeSeq(1);
            calls.get(1).succeed();
        })).accept(leftOver);

        assertError(leftOver.get(0).outcome(), ErrorCode.ERROR_CODE_INTERNAL);
        assertThat(leftOver.get(1).outcome().response().getCommit().getChangeSeq()).isEqualTo(1);
        assertError(leftOver.get(2).outcome(), ErrorCode.ERROR_CODE_INTERNAL);

        List<TestRequest> thrownOver = commits(2).stream().map(TestRequest::new).toList();
        processor(together(calls -> {
            calls.get(0).fail(ServiceException.invalidArgument("commit.items", "one of them"));
            throw ServiceException.unavailable("the database is unavailable; retry later", Duration.ofSeconds(1), null);
        })).accept(thrownOver);

        assertError(thrownOver.get(0).outcome(), ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertError(thrownOver.get(1).outcome(), ErrorCode.ERROR_CODE_UNAVAILABLE);
    }

    @Test
    void garbageBytesAreRefusedAsInvalidArgument() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};

        RpcOutcome outcome = processor().process(garbage);

        assertError(outcome, ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(outcome.response().getRequestId()).isEmpty();
    }

    @Test
    void anEmptyBodyIsRefusedForItsMissingRequestId() {
        RpcOutcome outcome = processor().process(new byte[0]);

        assertError(outcome, ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(outcome.response().getError().getField()).isEqualTo("request_id");
    }

    @Test
    void aBodyOverTheSizeLimitIsRefusedNamingTheLimit() {
        Request big = serverInfo().setToken("x".repeat(MAX_BYTES)).build();

        RpcOutcome outcome = processor().process(big.toByteArray());

        assertError(outcome, ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(outcome.response().getError().getMessage()).contains("max_message_bytes");
    }

    @Test
    void anUnknownFieldInTheEnvelopeIsRefused() throws IOException {
        byte[] body = withExtraField(serverInfo().build().toByteArray(), 7, "surprise");

        RpcOutcome outcome = processor().process(body);

        assertError(outcome, ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(outcome.response().getError().getMessage()).contains("unknown field number 7");
    }

    @Test
    void anUnknownFieldDeepInsideAnOperationIsRefusedWithItsPath() throws IOException {
        byte[] item = withExtraField(CommitItem.newBuilder().setTempId("t").build().toByteArray(), 99, "x");
        CommitRequest.Builder commit = CommitRequest.newBuilder().setWorkspaceId("w")
                .addItems(CommitItem.getDefaultInstance());
        commit.addItems(CommitItem.parseFrom(item));
        Request request = Request.newBuilder().setRequestId("r-2").setToken(VALID_TOKEN).setCommit(commit).build();

        RpcOutcome outcome = processor().process(request.toByteArray());

        assertError(outcome, ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(outcome.response().getError().getField()).isEqualTo("commit.items[1]");
    }

    @Test
    void anOperationFromANewerProtocolIsUnimplemented() throws IOException {
        byte[] body = withExtraField(Request.newBuilder().setRequestId("r-3").build().toByteArray(), 98, "");

        RpcOutcome outcome = processor().process(body);

        assertError(outcome, ErrorCode.ERROR_CODE_UNIMPLEMENTED);
    }

    @Test
    void aKnownOperationWithoutHandlerIsUnimplemented() {
        Request request = Request.newBuilder().setRequestId("r-4").setToken(VALID_TOKEN)
                .setCommit(CommitRequest.getDefaultInstance()).build();

        RpcOutcome outcome = processor().process(request.toByteArray());

        assertError(outcome, ErrorCode.ERROR_CODE_UNIMPLEMENTED);
        assertThat(outcome.operation()).isEqualTo("commit");
        assertThat(outcome.response().getError().getMessage()).contains("commit");
    }

    @Test
    void aRequestWithoutOperationIsInvalid() {
        RpcOutcome outcome = processor().process(Request.newBuilder().setRequestId("r-5").build().toByteArray());

        assertError(outcome, ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(outcome.response().getError().getField()).isEqualTo("operation");
    }

    @Test
    void requestIdsMustBeShortPrintableAscii() {
        RequestProcessor processor = processor();

        assertError(processor.process(serverInfo().setRequestId("x".repeat(65)).build().toByteArray()),
                ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertError(processor.process(serverInfo().setRequestId("has space").build().toByteArray()),
                ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertError(processor.process(serverInfo().setRequestId("caf\u00e9").build().toByteArray()),
                ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(processor.process(serverInfo().setRequestId("x".repeat(64)).build().toByteArray()).succeeded())
                .isTrue();
    }

    @Test
    void anExpiredDeadlineIsAnsweredWithoutDoingTheWork() {
        Request request = Request.newBuilder().setRequestId("r-6").setToken(VALID_TOKEN)
                .setDeadlineMs(NOW.toEpochMilli() - 1)
                .setGetAccountInfo(GetAccountInfoRequest.getDefaultInstance()).build();

        RpcOutcome outcome = processor(accountInfoHandler()).process(request.toByteArray());

        assertError(outcome, ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED);
        assertThat(lastCall.get()).isNull();
    }

    @Test
    void aDeadlineInTheFutureIsServed() {
        RpcOutcome outcome = processor().process(
                serverInfo().setDeadlineMs(NOW.toEpochMilli() + 1000).build().toByteArray());

        assertThat(outcome.succeeded()).isTrue();
    }

    @Test
    void anOperationThatNeedsATokenIsRefusedWithoutOne() {
        Request request = Request.newBuilder().setRequestId("r-7")
                .setGetAccountInfo(GetAccountInfoRequest.getDefaultInstance()).build();

        RpcOutcome outcome = processor(accountInfoHandler()).process(request.toByteArray());

        assertError(outcome, ErrorCode.ERROR_CODE_UNAUTHENTICATED);
        assertThat(lastCall.get()).isNull();
    }

    @Test
    void anOperationThatNeedsATokenIsRefusedWithAWrongOne() {
        Request request = Request.newBuilder().setRequestId("r-8").setToken("forged")
                .setGetAccountInfo(GetAccountInfoRequest.getDefaultInstance()).build();

        RpcOutcome outcome = processor(accountInfoHandler()).process(request.toByteArray());

        assertError(outcome, ErrorCode.ERROR_CODE_UNAUTHENTICATED);
        assertThat(lastCall.get()).isNull();
    }

    @Test
    void theHandlerSeesTheCallerProvenByTheToken() {
        Request request = Request.newBuilder().setRequestId("r-9").setToken(VALID_TOKEN)
                .setGetAccountInfo(GetAccountInfoRequest.getDefaultInstance()).build();

        RpcOutcome outcome = processor(accountInfoHandler()).process(request.toByteArray());

        assertThat(outcome.succeeded()).isTrue();
        assertThat(lastCall.get().caller()).isEqualTo(CALLER);
        assertThat(lastCall.get().requestId()).isEqualTo("r-9");
        assertThat(outcome.response().getGetAccountInfo().getAccount().getUserId())
                .isEqualTo(CALLER.userId().toString());
    }

    @Test
    void aServiceFailureBecomesItsErrorWithRetryHint() {
        OperationHandler unavailable = failingHandler(ServiceException.unavailable("database unreachable", null, null));

        RpcOutcome outcome = processor(unavailable).process(Request.newBuilder().setRequestId("r-10")
                .setToken(VALID_TOKEN).setGetAccountInfo(GetAccountInfoRequest.getDefaultInstance()).build()
                .toByteArray());

        assertError(outcome, ErrorCode.ERROR_CODE_UNAVAILABLE);
        assertThat(outcome.response().getError().getRetryAfterMs()).isPositive();
        assertThat(outcome.response().getError().getMessage()).isEqualTo("database unreachable");
    }

    @Test
    void anUnexpectedFailureIsInternalAndRevealsNothing() {
        OperationHandler broken = failingHandler(new IllegalStateException("SELECT secret FROM users"));

        RpcOutcome outcome = processor(broken).process(Request.newBuilder().setRequestId("r-11")
                .setToken(VALID_TOKEN).setGetAccountInfo(GetAccountInfoRequest.getDefaultInstance()).build()
                .toByteArray());

        assertError(outcome, ErrorCode.ERROR_CODE_INTERNAL);
        assertThat(outcome.response().getError().getMessage()).doesNotContain("SELECT").doesNotContain("secret");
        assertThat(outcome.response().getRequestId()).isEqualTo("r-11");
    }

    private static OperationHandler failingHandler(RuntimeException failure) {
        return new OperationHandler() {
            @Override
            public Request.OperationCase operation() {
                return Request.OperationCase.GET_ACCOUNT_INFO;
            }

            @Override
            public void handle(Request request, CallContext call, Response.Builder response) {
                throw failure;
            }
        };
    }

    private static void assertError(RpcOutcome outcome, ErrorCode code) {
        assertThat(outcome.response().hasError()).as("error reply").isTrue();
        assertThat(outcome.response().getError().getCode()).isEqualTo(code);
        assertThat(outcome.error()).isEqualTo(code);
        assertThat(outcome.response().getError().getMessage()).isNotBlank();
    }

    private static byte[] withExtraField(byte[] message, int fieldNumber, String value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(message);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeBytes(fieldNumber, ByteString.copyFromUtf8(value));
        out.flush();
        return bytes.toByteArray();
    }
}
