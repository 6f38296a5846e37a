package org.syncservice.server.config;

import java.time.Duration;

/** PostgreSQL connection settings (keys {@code db.*}). */
public record DatabaseConfig(
        String url,
        String user,
        Secret password,
        int poolSize,
        Duration connectTimeout) {
}
