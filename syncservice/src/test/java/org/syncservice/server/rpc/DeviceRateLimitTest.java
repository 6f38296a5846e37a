package org.syncservice.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetAccountInfoRequest;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/** limits.requests-per-second-per-device, end to end: one device's flood does not touch another device. */
class DeviceRateLimitTest {
    private static final int RATE = 5;
    private static final int FLOOD = 200;

    private static RunningService service;
    private static SyncFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("limits.requests-per-second-per-device", Integer.toString(RATE)));
        fixture = new SyncFixture(service);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        service.close();
    }

    @Test
    void serverInfoAnnouncesTheLimit() {
        try (SyncClient client = service.newClient()) {
            assertThat(client.getServerInfo().getLimits().getMaxRequestsPerSecondPerDevice()).isEqualTo(RATE);
        }
    }

    @Test
    void aFloodingDeviceIsToldToRetryLaterWhileAnotherDeviceIsServed() throws Exception {
        SyncDevice flooder = fixture.newUser("Flooder");
        SyncDevice neighbour = fixture.newUser("Neighbour");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<SyncServiceException> limited = new ArrayList<>();
        int served = 0;
        try {
            List<Future<SyncServiceException>> flood = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                flood.add(pool.submit(() -> {
                    try {
                        flooder.client().getAccountInfo();
                        return null;
                    } catch (SyncServiceException e) {
                        return e;
                    }
                }));
            }
            // The neighbour stays within its own allowance (fewer requests than one second's worth)
            // while the flood runs: none of its requests may be refused.
            for (int i = 0; i < RATE - 1; i++) {
                assertThat(neighbour.client().getAccountInfo().getAccount().getUserId())
                        .isEqualTo(neighbour.credentials().userId().toString());
                served++;
            }
            for (Future<SyncServiceException> call : flood) {
                SyncServiceException failure = call.get(60, TimeUnit.SECONDS);
                if (failure != null) {
                    limited.add(failure);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(served).isEqualTo(RATE - 1);
        assertThat(limited).as("the flood is refused beyond its allowance").isNotEmpty();
        assertThat(limited).allSatisfy(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_RESOURCE_EXHAUSTED);
            assertThat(e.retryAfter()).hasValueSatisfying(wait ->
                    assertThat(wait.toMillis()).isBetween(1L, 1000L));
        });
        assertThat(FLOOD - limited.size()).as("requests of the flood served").isGreaterThanOrEqualTo(RATE);
    }

    @Test
    void aLimitedRequestRetriedWithTheSameIdAfterTheHintIsServed() throws Exception {
        SyncDevice device = fixture.newUser("Patient");
        SyncServiceException refusal = null;
        for (int i = 0; i < 10 * RATE && refusal == null; i++) {
            try {
                device.client().getAccountInfo();
            } catch (SyncServiceException e) {
                refusal = e;
            }
        }
        assertThat(refusal).as("sequential requests beyond the allowance are refused").isNotNull();
        assertThat(refusal.code()).isEqualTo(ErrorCode.ERROR_CODE_RESOURCE_EXHAUSTED);

        String requestId = SyncClient.newRequestId();
        long waitMs = refusal.retryAfter().orElseThrow().toMillis();
        // Following the hint, the retry gets in (a few attempts cover a token taken by nobody else
        // but a slow clock; the bucket refills a token every 1000 / RATE ms).
        for (int attempt = 0; ; attempt++) {
            TimeUnit.MILLISECONDS.sleep(waitMs);
            try {
                assertThat(device.client().getAccountInfo(GetAccountInfoRequest.getDefaultInstance(), requestId)
                        .getAccount().getUserId()).isEqualTo(device.credentials().userId().toString());
                return;
            } catch (SyncServiceException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_RESOURCE_EXHAUSTED);
                assertThat(attempt).as("retries after the hint").isLessThan(5);
                waitMs = e.retryAfter().orElseThrow().toMillis();
            }
        }
    }
}
