package org.syncservice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetServerInfoRequest;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;

/** {@link AmqpRpcClient} against the real RabbitMQ on this machine, with a test responder. */
class AmqpRpcClientTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    static Request serverInfo(String requestId) {
        return Request.newBuilder().setRequestId(requestId)
                .setGetServerInfo(GetServerInfoRequest.getDefaultInstance()).build();
    }

    static SyncServiceException failureOf(CompletableFuture<?> future, Duration within) throws Exception {
        try {
            future.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SyncServiceException.class);
            return (SyncServiceException) e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void callReceivesTheReplyCarryingItsCorrelationIdAndIgnoresOthers() throws Exception {
        try (TestResponder responder = TestResponder.start(request -> null);
                AmqpRpcClient client = AmqpRpcClient.connect(responder.options().build())) {
            CompletableFuture<Response> call = client.call(serverInfo("r-1"), LONG);
            TestResponder.Received received = responder.nextReceived(LONG);

            // A stray reply first: it must not complete the call.
            responder.replyWithCorrelationId(received.properties().getReplyTo(), "someone-else",
                    TestResponder.echoResponse(serverInfo("stray")));
            responder.reply(received.properties(), TestResponder.echoResponse(received.request()));

            Response response = call.get(10, TimeUnit.SECONDS);
            assertThat(response.getRequestId()).isEqualTo("r-1");
            assertThat(response.getGetServerInfo().getServerVersion()).isEqualTo("r-1");
            assertThat(client.pendingCalls()).isZero();
        }
    }

    @Test
    void manyThreadsCallingAtOnceEachGetTheirOwnAnswer() throws Exception {
        int threads = 32;
        int callsPerThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (TestResponder responder = TestResponder.echo();
                AmqpRpcClient client = AmqpRpcClient.connect(responder.options().build())) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<CompletableFuture<Response>> calls = new ArrayList<>();
                    for (int i = 0; i < callsPerThread; i++) {
                        calls.add(client.call(serverInfo(thread + "-" + i), Duration.ofSeconds(30)));
                    }
                    for (int i = 0; i < callsPerThread; i++) {
                        Response r = calls.get(i).get(30, TimeUnit.SECONDS);
                        assertThat(r.getGetServerInfo().getServerVersion()).isEqualTo(thread + "-" + i);
                    }
                    return callsPerThread;
                }));
            }
            int answered = 0;
            for (Future<Integer> f : results) {
                answered += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(answered).isEqualTo(threads * callsPerThread);
            assertThat(client.pendingCalls()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void callWithoutReplyTimesOutAsDeadlineExceededAndIsForgotten() throws Exception {
        try (TestResponder responder = TestResponder.start(request -> null);
                AmqpRpcClient client = AmqpRpcClient.connect(responder.options().build())) {
            long start = System.nanoTime();
            CompletableFuture<Response> call = client.call(serverInfo("never"), Duration.ofMillis(300));

            SyncServiceException e = failureOf(call, LONG);
            assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED);
            assertThat(e.isLocal()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(client.pendingCalls()).isZero();
        }
    }

    @Test
    void lateReplyAfterTheTimeoutIsDroppedAndTheClientKeepsWorking() throws Exception {
        try (TestResponder responder = TestResponder.start(request -> null);
                AmqpRpcClient client = AmqpRpcClient.connect(responder.options().build())) {
            CompletableFuture<Response> late = client.call(serverInfo("late"), Duration.ofMillis(200));
            TestResponder.Received received = responder.nextReceived(LONG);
            assertThat(failureOf(late, LONG).code()).isEqualTo(ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED);

            responder.reply(received.properties(), TestResponder.echoResponse(received.request()));

            CompletableFuture<Response> next = client.call(serverInfo("next"), LONG);
            TestResponder.Received nextReceived = responder.nextReceived(LONG);
            responder.reply(nextReceived.properties(), TestResponder.echoResponse(nextReceived.request()));
            assertThat(next.get(10, TimeUnit.SECONDS).getRequestId()).isEqualTo("next");
            assertThat(client.pendingCalls()).isZero();
        }
    }

    @Test
    void requestToAQueueThatDoesNotExistFailsFastAsUnavailable() throws Exception {
        SyncClientOptions options = SyncClientOptions.builder().host(TestResponder.HOST)
                .requestQueue("test.missing." + UUID.randomUUID()).build();
        try (AmqpRpcClient client = AmqpRpcClient.connect(options)) {
            long start = System.nanoTime();
            CompletableFuture<Response> call = client.call(serverInfo("lost"), Duration.ofSeconds(20));

            SyncServiceException e = failureOf(call, Duration.ofSeconds(5));
            assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_UNAVAILABLE);
            assertThat(e.getMessage()).contains(options.requestQueue());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(client.pendingCalls()).isZero();
        }
    }

    @Test
    void requestCarriesDeadlineAndMessagePropertiesForTheService() throws Exception {
        try (TestResponder responder = TestResponder.echo();
                AmqpRpcClient client = AmqpRpcClient.connect(responder.options().build())) {
            long before = System.currentTimeMillis();
            Request withoutId = Request.newBuilder()
                    .setGetServerInfo(GetServerInfoRequest.getDefaultInstance()).build();
            client.call(withoutId, Duration.ofMillis(4000)).get(10, TimeUnit.SECONDS);
            long after = System.currentTimeMillis();

            TestResponder.Received received = responder.nextReceived(LONG);
            assertThat(received.request().getRequestId()).hasSize(36);
            assertThat(received.request().getDeadlineMs()).isBetween(before + 4000, after + 4000);
            assertThat(received.properties().getReplyTo()).isEqualTo(client.replyQueue());
            assertThat(received.properties().getCorrelationId()).isNotBlank();
            assertThat(received.properties().getContentType()).isEqualTo("application/x-protobuf");
            assertThat(received.properties().getType()).isEqualTo("syncservice.v1.Request");
            assertThat(received.properties().getDeliveryMode()).isEqualTo(1);
            assertThat(received.properties().getExpiration()).isEqualTo("4000");
        }
    }

    @Test
    void eachCallHasItsOwnCorrelationId() throws Exception {
        try (TestResponder responder = TestResponder.echo();
                AmqpRpcClient client = AmqpRpcClient.connect(responder.options().build())) {
            client.call(serverInfo("a"), LONG).get(10, TimeUnit.SECONDS);
            client.call(serverInfo("a"), LONG).get(10, TimeUnit.SECONDS);
            String first = responder.nextReceived(LONG).properties().getCorrelationId();
            String second = responder.nextReceived(LONG).properties().getCorrelationId();
            assertThat(first).isNotEqualTo(second);
        }
    }

    @Test
    void closeFailsOutstandingCallsAsUnavailable() throws Exception {
        try (TestResponder responder = TestResponder.start(request -> null)) {
            AmqpRpcClient client = AmqpRpcClient.connect(responder.options().build());
            CompletableFuture<Response> a = client.call(serverInfo("a"), Duration.ofSeconds(30));
            CompletableFuture<Response> b = client.call(serverInfo("b"), null);
            responder.nextReceived(LONG);
            responder.nextReceived(LONG);

            client.close();

            assertThat(failureOf(a, Duration.ofSeconds(1)).code()).isEqualTo(ErrorCode.ERROR_CODE_UNAVAILABLE);
            assertThat(failureOf(b, Duration.ofSeconds(1)).code()).isEqualTo(ErrorCode.ERROR_CODE_UNAVAILABLE);
            assertThat(client.pendingCalls()).isZero();
            assertThat(failureOf(client.call(serverInfo("c"), LONG), Duration.ofSeconds(1)).code())
                    .isEqualTo(ErrorCode.ERROR_CODE_UNAVAILABLE);
            client.close();
        }
    }

    @Test
    void connectingToAnUnreachableBrokerFailsAsUnavailable() {
        SyncClientOptions options = SyncClientOptions.builder().host("127.0.0.1").port(1).build();
        assertThatThrownBy(() -> AmqpRpcClient.connect(options))
                .isInstanceOfSatisfying(SyncServiceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_UNAVAILABLE));
    }
}
