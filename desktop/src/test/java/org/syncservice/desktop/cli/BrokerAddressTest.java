package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClientOptions;

class BrokerAddressTest {

    @Test
    void hostPortAndVirtualHostComeFromTheUrl() {
        SyncClientOptions options = BrokerAddress.parse("amqp://broker:5673/prod%2Feu").options(Map.of());
        assertThat(options.host()).isEqualTo("broker");
        assertThat(options.port()).isEqualTo(5673);
        assertThat(options.virtualHost()).isEqualTo("prod/eu");
        assertThat(options.tls()).isFalse();
    }

    @Test
    void withoutPathPortOrUserTheDefaultsServeTheEmbeddedMode() {
        SyncClientOptions options = BrokerAddress.parse("amqp://127.0.0.1").options(Map.of());
        assertThat(options.port()).isEqualTo(5672);
        assertThat(options.virtualHost()).isEqualTo("/");
        assertThat(options.username()).isEqualTo("guest");
        assertThat(options.password()).isEqualTo("guest");
        assertThat(BrokerAddress.parse("amqp://127.0.0.1/").virtualHost()).isEqualTo("/");
    }

    @Test
    void requestsNeverCarryAnAmqpExpiration() {
        assertThat(BrokerAddress.parse("amqp://h:1").options(Map.of()).requestExpiration()).isFalse();
    }

    @Test
    void amqpsMeansTls() {
        SyncClientOptions options = BrokerAddress.parse("amqps://h").options(Map.of());
        assertThat(options.tls()).isTrue();
        assertThat(options.port()).isEqualTo(5671);
    }

    @Test
    void theBrokerUserComesFromTheUrlAndItsPasswordFromTheEnvironment() {
        SyncClientOptions options = BrokerAddress.parse("amqp://dev-42@h")
                .options(Map.of(BrokerAddress.PASSWORD_VARIABLE, "s3cret"));
        assertThat(options.username()).isEqualTo("dev-42");
        assertThat(options.password()).isEqualTo("s3cret");
    }

    @Test
    void theLoginOnlyUserTakesItsNameAsPasswordUnlessTheEnvironmentGivesOne() {
        BrokerAddress address = BrokerAddress.parse("amqp://h/sync").withLoginUser(java.util.Optional.of("login"));
        assertThat(address.options(Map.of()).loginUsername()).contains("login");
        assertThat(address.options(Map.of()).loginPassword()).isEqualTo("login");
        assertThat(address.options(Map.of(BrokerAddress.LOGIN_PASSWORD_VARIABLE, "other")).loginPassword())
                .isEqualTo("other");
        assertThat(BrokerAddress.parse("amqp://h/sync").options(Map.of()).loginUsername()).isEmpty();
    }

    @Test
    void badUrlsAreRefused() {
        assertThatThrownBy(() -> BrokerAddress.parse("amqp://h/a/b")).hasMessageContaining("one path segment");
        assertThatThrownBy(() -> BrokerAddress.parse("amqp:///x")).hasMessageContaining("expected a host");
        assertThatThrownBy(() -> BrokerAddress.parse("amqp://h?x=1")).hasMessageContaining("no query");
        assertThatThrownBy(() -> BrokerAddress.parse("h:5672")).hasMessageContaining("amqp://");
        assertThatThrownBy(() -> BrokerAddress.parse("amqp://u:p@h")).hasMessageContaining("never taken");
    }
}
