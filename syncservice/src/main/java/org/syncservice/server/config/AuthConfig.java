package org.syncservice.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Authentication settings (keys {@code auth.*}). The broker signing key is kept as its path only;
 * the key itself is read by the component that signs, never held here, logged or shown.
 */
public record AuthConfig(
        Duration tokenCacheTtl,
        Duration deviceIdleLifetime,
        int passwordHashIterations,
        int minPasswordLength,
        int loginFreeFailures,
        Duration loginMaxDelay,
        OptionalInt concurrentPasswordChecks,
        boolean requireBrokerUserId,
        String brokerLoginUser,
        Optional<Path> brokerSigningKeyFile,
        String brokerSigningKeyId,
        String brokerResourceServerId) {

    /** The shortest token cache TTL with which broker tokens are handed out (they live as long). */
    public static final Duration MIN_BROKER_TOKEN_LIFETIME = Duration.ofSeconds(5);

    /** Whether the service hands out broker tokens. */
    public boolean brokerTokens() {
        return brokerSigningKeyFile.isPresent();
    }

    /** The configured number of concurrent password checks, or half the cores (at least one). */
    public int passwordChecksAtOnce() {
        return concurrentPasswordChecks.orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }
}
