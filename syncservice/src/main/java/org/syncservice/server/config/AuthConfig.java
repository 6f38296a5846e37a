package org.syncservice.server.config;

import java.time.Duration;

/** Authentication settings (keys {@code auth.*}). */
public record AuthConfig(
        Duration tokenCacheTtl,
        int passwordHashIterations,
        int minPasswordLength) {
}
