package org.syncservice.server.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.server.auth.BrokerToken;
import org.syncservice.server.config.ConfigException;
import org.syncservice.server.config.ConfigLoader;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.notify.NotificationRoutes;
import org.syncservice.server.testing.SigningKeys;

/** The signing key is read from its PEM file once, and a file without a usable key fails start-up. */
class BrokerSigningKeyTest {
    @TempDir
    Path dir;

    private static ServiceConfig config(Path key) {
        return ConfigLoader.load(Map.of("auth.broker-signing-key-file", key.toString()));
    }

    @Test
    void aPkcs8KeyFileSignsTokensOfTheConfiguredLifetime() throws Exception {
        try (SigningKeys keys = SigningKeys.create()) {
            ServiceConfig config = config(keys.privateKeyFile());
            BrokerToken token = BrokerTokens.configured(config, new NotificationRoutes("n"), Clock.systemUTC())
                    .orElseThrow().forDevice(UUID.randomUUID());
            assertThat(token.value().split("\\.")).hasSize(3);
            assertThat(token.validFor()).isBetween(config.auth().tokenCacheTtl().minusSeconds(1),
                    config.auth().tokenCacheTtl());
            assertThat(token.toString()).doesNotContain(token.value());
        }
    }

    @Test
    void noKeyFileMeansNoBrokerTokens() {
        assertThat(BrokerTokens.configured(ConfigLoader.load(Map.of()), new NotificationRoutes("n"), Clock.systemUTC()))
                .isEmpty();
    }

    @Test
    void aFileWithoutAUsableKeyIsRefusedNamingTheKeyAndNothingOfTheFile() throws Exception {
        Path pkcs1 = dir.resolve("pkcs1.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END RSA PRIVATE KEY-----\n");
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n");
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "");

        assertThatThrownBy(() -> BrokerTokens.configured(config(pkcs1), new NotificationRoutes("n"), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("auth.broker-signing-key-file: " + pkcs1)
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
                .hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> BrokerTokens.configured(config(garbage), new NotificationRoutes("n"), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("auth.broker-signing-key-file: " + garbage + ": not an RSA private key");
        assertThatThrownBy(() -> BrokerTokens.configured(config(empty), new NotificationRoutes("n"), Clock.systemUTC()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected a PEM private key");
    }
}
