package org.syncservice.server.config;

import java.time.Duration;
import java.util.OptionalInt;

/** Authentication settings (keys {@code auth.*}). */
public record AuthConfig(
        Duration tokenCacheTtl,
        Duration deviceIdleLifetime,
        int passwordHashIterations,
        int minPasswordLength,
        int loginFreeFailures,
        Duration loginMaxDelay,
        OptionalInt concurrentPasswordChecks,
        boolean requireBrokerUserId,
        String brokerLoginUser) {

    /** The configured number of concurrent password checks, or half the cores (at least one). */
    public int passwordChecksAtOnce() {
        return concurrentPasswordChecks.orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }
}
