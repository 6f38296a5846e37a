package org.syncservice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyncClientOptionsTest {

    @Test
    void defaultsMatchTheProtocol() {
        SyncClientOptions o = SyncClientOptions.builder().build();
        assertThat(o.requestQueue()).isEqualTo("syncservice.requests");
        assertThat(o.callTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.port()).isEqualTo(5672);
        assertThat(o.tls()).isFalse();
    }

    @Test
    void tlsWithoutAnExplicitPortUsesTheAmqpsPort() {
        assertThat(SyncClientOptions.builder().tls(true).build().port()).isEqualTo(5671);
        assertThat(SyncClientOptions.builder().tls(true).port(6000).build().port()).isEqualTo(6000);
    }

    @Test
    void toStringNeverShowsThePassword() {
        SyncClientOptions o = SyncClientOptions.builder().username("svc").password("hunter2").build();
        assertThat(o.toString()).contains("svc").doesNotContain("hunter2");
    }

    @Test
    void invalidValueFailsNamingTheOption() {
        assertThatThrownBy(() -> SyncClientOptions.builder().callTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("callTimeout:");
        assertThatThrownBy(() -> SyncClientOptions.builder().port(70000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("port:");
        assertThatThrownBy(() -> SyncClientOptions.builder().requestQueue(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("requestQueue:");
    }

    @Test
    void toBuilderDerivesAVariantWithoutChangingTheOriginal() {
        SyncClientOptions o = SyncClientOptions.builder().host("broker").build();
        SyncClientOptions p = o.toBuilder().requestQueue("other").build();
        assertThat(p.host()).isEqualTo("broker");
        assertThat(p.requestQueue()).isEqualTo("other");
        assertThat(o.requestQueue()).isEqualTo("syncservice.requests");
    }

    @Test
    void pollIntervalAndDigestChecksAreValidatedNamingTheOption() {
        SyncClientOptions o = SyncClientOptions.builder().build();
        assertThat(o.pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.digestCheckAttempts()).isEqualTo(3);
        assertThat(o.toBuilder().pollInterval(Duration.ofSeconds(5)).digestCheckAttempts(0).build())
                .extracting(SyncClientOptions::pollInterval, SyncClientOptions::digestCheckAttempts)
                .containsExactly(Duration.ofSeconds(5), 0);
        assertThatThrownBy(() -> SyncClientOptions.builder().pollInterval(Duration.ofMillis(10)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("pollInterval:");
        assertThatThrownBy(() -> SyncClientOptions.builder().pollInterval(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("pollInterval:");
        assertThatThrownBy(() -> SyncClientOptions.builder().digestCheckAttempts(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("digestCheckAttempts:");
        assertThatThrownBy(() -> SyncClientOptions.builder().digestCheckAttempts(11).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("digestCheckAttempts:");
    }

    @Test
    void theRoutineCatchUpIntervalDefaultsToTenMinutesAndIsValidatedNamingTheOption() {
        assertThat(SyncClientOptions.builder().build().checkInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(SyncClientOptions.builder().checkInterval(Duration.ofSeconds(2)).build().toBuilder().build()
                .checkInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> SyncClientOptions.builder().checkInterval(Duration.ofMillis(10)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("checkInterval:");
        assertThatThrownBy(() -> SyncClientOptions.builder().checkInterval(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("checkInterval:");
    }
}
