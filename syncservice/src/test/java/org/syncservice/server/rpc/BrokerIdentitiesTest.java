package org.syncservice.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.syncservice.server.testing.TestRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetAccountInfoRequest;
import org.syncservice.protocol.v1.GetServerInfoRequest;
import org.syncservice.protocol.v1.RefreshBrokerTokenRequest;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.config.LimitsConfig;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.rpc.handlers.ServerInfoHandler;

/**
 * The RPC layer trusts no more than the broker authenticated: the publishing broker user (the
 * AMQP user_id RabbitMQ validated) must fit the token and the operation.
 */
class BrokerIdentitiesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final String TOKEN_OF_A = "token-of-a";
    private static final Principal A = new Principal(UUID.randomUUID(), UUID.randomUUID());
    private static final String LOGIN_USER = "syncservice-login";

    private final AtomicInteger served = new AtomicInteger();

    private RequestProcessor processor(boolean userIdRequired) {
        OperationHandler accountInfo = new OperationHandler() {
            @Override
            public Request.OperationCase operation() {
                return Request.OperationCase.GET_ACCOUNT_INFO;
            }

            @Override
            public void handle(Request request, CallContext call, Response.Builder response) {
                served.incrementAndGet();
                response.getGetAccountInfoBuilder().getAccountBuilder().setUserId(call.caller().userId().toString());
            }
        };
        LimitsConfig limits = new LimitsConfig(4096, 1000, 10000, 255, 500, 5000, 1L << 40,
                Pattern.compile("[A-Za-z0-9_-]{8,128}"), 0, 1 << 20);
        OperationHandler refresh = new OperationHandler() {
            @Override
            public Request.OperationCase operation() {
                return Request.OperationCase.REFRESH_BROKER_TOKEN;
            }

            @Override
            public void handle(Request request, CallContext call, Response.Builder response) {
                served.incrementAndGet();
                response.getRefreshBrokerTokenBuilder().getBrokerTokenBuilder()
                        .setBrokerUser(BrokerIdentities.deviceUser(call.caller().deviceId()));
            }
        };
        HandlerRegistry registry = HandlerRegistry.builder().add(accountInfo).add(refresh).build(operations -> new ServerInfoHandler(
                "1.2.3", limits, StorageConfig.Backend.S3, "syncservice.notifications", operations, CLOCK));
        return new RequestProcessor(4096, registry, token -> {
            if (!token.equals(TOKEN_OF_A)) {
                throw ServiceException.unauthenticated("unknown device token");
            }
            return A;
        }, DeviceRateLimiter.unlimited(), CLOCK, RequestObserver.NONE, new BrokerIdentities(userIdRequired, LOGIN_USER));
    }

    private static Request accountInfo() {
        return Request.newBuilder().setRequestId("r-1").setToken(TOKEN_OF_A)
                .setGetAccountInfo(GetAccountInfoRequest.getDefaultInstance()).build();
    }

    private static Request serverInfo() {
        return Request.newBuilder().setRequestId("r-2").setGetServerInfo(GetServerInfoRequest.getDefaultInstance())
                .build();
    }

    private static RpcOutcome call(RequestProcessor processor, String publisher, Request request) {
        TestRequest incoming = new TestRequest(request.toByteArray(), publisher);
        processor.accept(List.of(incoming));
        return incoming.outcome();
    }

    private static ErrorCode code(RpcOutcome outcome) {
        return outcome.response().hasError() ? outcome.response().getError().getCode() : ErrorCode.ERROR_CODE_UNSPECIFIED;
    }

    @Test
    void aDeviceIsServedWithItsOwnTokenFromItsOwnBrokerUser() {
        RpcOutcome outcome = call(processor(true), BrokerIdentities.deviceUser(A.deviceId()), accountInfo());

        assertThat(outcome.succeeded()).isTrue();
        assertThat(served).hasValue(1);
    }

    @Test
    void anotherDevicesTokenFromADevicesBrokerUserIsRefused() {
        RpcOutcome outcome = call(processor(false), BrokerIdentities.deviceUser(UUID.randomUUID()), accountInfo());

        assertThat(code(outcome)).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
        assertThat(outcome.response().getError().getMessage()).contains("not the publishing device's");
        assertThat(served).hasValue(0);
    }

    @Test
    void aDeviceUserThatNamesNoDeviceIsRefused() {
        String nonCanonical = BrokerIdentities.DEVICE_USER_PREFIX + A.deviceId().toString().toUpperCase();

        assertThat(code(call(processor(false), nonCanonical, accountInfo())))
                .isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
        assertThat(code(call(processor(false), "device.x", serverInfo()))).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
        assertThat(served).hasValue(0);
    }

    @Test
    void theLoginUserMayCallOnlyLoginAndServerInfo() {
        RequestProcessor processor = processor(false);

        assertThat(code(call(processor, LOGIN_USER, accountInfo()))).isEqualTo(ErrorCode.ERROR_CODE_PERMISSION_DENIED);
        assertThat(call(processor, LOGIN_USER, serverInfo()).succeeded()).isTrue();
        assertThat(served).hasValue(0);
    }

    @Test
    void theLoginUserMayRefreshTheBrokerTokenOfTheDeviceWhoseTokenItPresents() {
        RequestProcessor processor = processor(true);
        Request refresh = Request.newBuilder().setRequestId("r-3").setToken(TOKEN_OF_A)
                .setRefreshBrokerToken(RefreshBrokerTokenRequest.getDefaultInstance()).build();

        RpcOutcome outcome = call(processor, LOGIN_USER, refresh);
        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.response().getRefreshBrokerToken().getBrokerToken().getBrokerUser())
                .isEqualTo(BrokerIdentities.deviceUser(A.deviceId()));
        assertThat(code(call(processor, LOGIN_USER, refresh.toBuilder().clearToken().build())))
                .as("without a device token").isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
        assertThat(code(call(processor, BrokerIdentities.deviceUser(UUID.randomUUID()), refresh)))
                .as("another device's broker user with a's token").isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
        assertThat(served).hasValue(1);
    }

    @Test
    void aRequestWithoutUserIdIsRefusedOnlyWhereTheBrokerAuthenticatesEveryClient() {
        assertThat(code(call(processor(true), null, accountInfo()))).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
        assertThat(served).hasValue(0);

        assertThat(call(processor(false), null, accountInfo()).succeeded()).isTrue();
        assertThat(served).hasValue(1);
    }

    @Test
    void anInternalBrokerUserIsServedAsBefore() {
        assertThat(call(processor(true), "guest", accountInfo()).succeeded()).isTrue();
        assertThat(served).hasValue(1);
    }

    @Test
    void theDeviceUserOfAnIdParsesBackToIt() {
        assertThat(BrokerIdentities.deviceOf(BrokerIdentities.deviceUser(A.deviceId()))).isEqualTo(A.deviceId());
        assertThat(BrokerIdentities.deviceOf("guest")).isNull();
        assertThat(BrokerIdentities.deviceOf(null)).isNull();
    }
}
