package org.syncservice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.Error;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.ListWorkspacesRequest;
import org.syncservice.protocol.v1.ListWorkspacesResponse;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.protocol.v1.Workspace;

/** {@link SyncClient} against the real RabbitMQ on this machine, with a test responder. */
class SyncClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Response answer(Request request) {
        Response.Builder r = Response.newBuilder().setRequestId(request.getRequestId());
        switch (request.getOperationCase()) {
            case LOGIN -> r.setLogin(LoginResponse.newBuilder().setUserId("u1").setDeviceId("d1")
                    .setToken("token-of-" + request.getLogin().getEmail()));
            case LIST_WORKSPACES -> r.setListWorkspaces(ListWorkspacesResponse.newBuilder()
                    .addWorkspaces(Workspace.newBuilder().setWorkspaceId("w1").setName("Home")));
            case COMMIT -> r.setError(Error.newBuilder().setCode(ErrorCode.ERROR_CODE_QUOTA_EXCEEDED)
                    .setMessage("over quota by 12 bytes").setRetryAfterMs(1500).setField("commit.items[3].size"));
            default -> r.setListWorkspaces(ListWorkspacesResponse.getDefaultInstance()); // the wrong kind
        }
        return r.build();
    }

    @Test
    void typedCallReturnsTheOperationsResponse() throws Exception {
        try (TestResponder responder = TestResponder.start(SyncClientTest::answer);
                SyncClient client = SyncClient.connect(responder.options().build())) {
            ListWorkspacesResponse workspaces = client.listWorkspaces();
            assertThat(workspaces.getWorkspacesList()).extracting(Workspace::getName).containsExactly("Home");
        }
    }

    @Test
    void errorResponseBecomesAnExceptionWithCodeMessageRetryAfterAndField() throws Exception {
        try (TestResponder responder = TestResponder.start(SyncClientTest::answer);
                SyncClient client = SyncClient.connect(responder.options().build())) {
            assertThatThrownBy(() -> client.commit(CommitRequest.newBuilder().setWorkspaceId("w1").build()))
                    .isInstanceOfSatisfying(SyncServiceException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_QUOTA_EXCEEDED);
                        assertThat(e.getMessage()).isEqualTo("over quota by 12 bytes");
                        assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
                        assertThat(e.field()).contains("commit.items[3].size");
                        assertThat(e.isLocal()).isFalse();
                        assertThat(e.isRetryable()).isFalse();
                    });
        }
    }

    @Test
    void responseOfAnotherOperationIsAnInternalUnexpectedResponse() throws Exception {
        try (TestResponder responder = TestResponder.start(SyncClientTest::answer);
                SyncClient client = SyncClient.connect(responder.options().build())) {
            assertThatThrownBy(client::getAccountInfo)
                    .isInstanceOfSatisfying(SyncServiceException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_INTERNAL);
                        assertThat(e.getMessage()).startsWith("unexpected response");
                    });
        }
    }

    @Test
    void loginStoresTheTokenAndLaterCallsCarryIt() throws Exception {
        try (TestResponder responder = TestResponder.start(SyncClientTest::answer);
                SyncClient client = SyncClient.connect(responder.options().build())) {
            client.setToken("stale");
            LoginResponse login = client.login(LoginRequest.newBuilder().setEmail("ann@example.org")
                    .setPassword("secret").setDeviceName("laptop").build());
            client.listWorkspaces();

            assertThat(login.getToken()).isEqualTo("token-of-ann@example.org");
            assertThat(client.token()).contains("token-of-ann@example.org");
            assertThat(responder.nextReceived(WAIT).request().getToken()).as("login sends no token").isEmpty();
            assertThat(responder.nextReceived(WAIT).request().getToken()).isEqualTo("token-of-ann@example.org");
        }
    }

    @Test
    void requestCarriesRequestIdDeadlineTokenAndMessageProperties() throws Exception {
        try (TestResponder responder = TestResponder.start(SyncClientTest::answer);
                SyncClient client = SyncClient.connect(
                        responder.options().callTimeout(Duration.ofSeconds(7)).build())) {
            client.withToken("device-token");
            long before = System.currentTimeMillis();
            client.listWorkspaces(ListWorkspacesRequest.getDefaultInstance(), "retry-me-42");
            long after = System.currentTimeMillis();

            TestResponder.Received received = responder.nextReceived(WAIT);
            Request request = received.request();
            assertThat(request.getRequestId()).isEqualTo("retry-me-42");
            assertThat(request.getToken()).isEqualTo("device-token");
            assertThat(request.getDeadlineMs()).isBetween(before + 7000, after + 7000);
            assertThat(request.hasListWorkspaces()).isTrue();
            assertThat(received.properties().getReplyTo()).startsWith("amq.gen-");
            assertThat(received.properties().getCorrelationId()).isNotBlank()
                    .isNotEqualTo(request.getRequestId());
            assertThat(received.properties().getContentType()).isEqualTo("application/x-protobuf");
            assertThat(received.properties().getType()).isEqualTo("syncservice.v1.Request");
            assertThat(received.properties().getDeliveryMode()).isEqualTo(1);
            assertThat(received.properties().getExpiration()).isEqualTo("7000");
        }
    }

    @Test
    void callsWithoutAnExplicitIdGetAFreshUuidEachTime() throws Exception {
        try (TestResponder responder = TestResponder.start(SyncClientTest::answer);
                SyncClient client = SyncClient.connect(responder.options().build())) {
            client.listWorkspaces();
            client.listWorkspaces();
            String first = responder.nextReceived(WAIT).request().getRequestId();
            String second = responder.nextReceived(WAIT).request().getRequestId();
            assertThat(first).hasSize(36).isNotEqualTo(second);
        }
    }

    @Test
    void unansweredCallFailsWithLocalDeadlineExceededAfterTheCallTimeout() throws Exception {
        try (TestResponder responder = TestResponder.start(request -> null);
                SyncClient client = SyncClient.connect(
                        responder.options().callTimeout(Duration.ofMillis(300)).build())) {
            assertThatThrownBy(client::listWorkspaces)
                    .isInstanceOfSatisfying(SyncServiceException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED);
                        assertThat(e.isLocal()).isTrue();
                        assertThat(e.isRetryable()).isTrue();
                    });
        }
    }

    @Test
    void requestIdLongerThanTheProtocolAllowsIsRejectedBeforeSending() throws Exception {
        try (TestResponder responder = TestResponder.start(SyncClientTest::answer);
                SyncClient client = SyncClient.connect(responder.options().build())) {
            assertThatThrownBy(() -> client.listWorkspaces(ListWorkspacesRequest.getDefaultInstance(), "x".repeat(65)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestId");
            assertThat(responder.received).isEmpty();
        }
    }
}
