package org.syncservice.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.server.SyncService;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * Two instances on one database and request queue share one account's failed logins: after N-1
 * wrong passwords served by one instance, the Nth, served by the other, is told to wait
 * (RESOURCE_EXHAUSTED), where instances counting on their own would have checked it. Which instance
 * serves is set with consumer priorities: the peer, the highest, takes every request until it stops.
 */
class SharedLoginThrottleTest {

    @Test
    void theNthWrongPasswordOnAnotherInstanceAfterNMinusOneOnTheFirstIsRefused() throws Exception {
        try (RunningService service = RunningService.start(Map.of("amqp.consumer-priority", "0",
                "auth.login-free-failures", "3", "auth.login-max-delay", "1m"));
             SyncFixture fixture = new SyncFixture(service)) {
            SyncDevice victim = fixture.newUser("Victim");
            String email = victim.credentials().email();
            try (SyncClient client = service.newClient()) {
                SyncService peer = service.startPeer(Map.of("amqp.consumer-priority", "1000000"), "peer");
                try {
                    assertThat(client.getServerInfo().getServerVersion()).as("served by the peer").isEqualTo("peer");
                    // 3 free failures, then waits of 1 s and 2 s: the sixth sets a wait of 4 s.
                    for (int i = 0; i < 4; i++) {
                        assertThat(wrongLogin(client, email)).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
                    }
                    Thread.sleep(1_100);
                    assertThat(wrongLogin(client, email)).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
                    Thread.sleep(2_100);
                    assertThat(wrongLogin(client, email)).isEqualTo(ErrorCode.ERROR_CODE_UNAUTHENTICATED);
                } finally {
                    peer.close();
                }
                assertThat(client.getServerInfo().getServerVersion()).as("served by the first").isEqualTo("test");
                assertThat(wrongLogin(client, email)).as("the seventh, on the other instance")
                        .isEqualTo(ErrorCode.ERROR_CODE_RESOURCE_EXHAUSTED);
                assertThatThrownBy(() -> client.login(LoginRequest.newBuilder().setEmail(email)
                        .setPassword(victim.credentials().password()).setDeviceName("right").build()))
                        .as("even the right password waits").isInstanceOf(SyncServiceException.class)
                        .satisfies(e -> assertThat(((SyncServiceException) e).retryAfter()).hasValueSatisfying(wait -> assertThat(wait)
                                .isBetween(java.time.Duration.ofMillis(1), java.time.Duration.ofSeconds(4))));
            }
        }
    }

    private static ErrorCode wrongLogin(SyncClient client, String email) {
        try {
            client.login(LoginRequest.newBuilder().setEmail(email).setPassword("a wrong guess")
                    .setDeviceName("guess").build());
            return ErrorCode.ERROR_CODE_UNSPECIFIED;
        } catch (SyncServiceException e) {
            return e.code();
        }
    }
}
