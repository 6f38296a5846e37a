package org.syncservice.server.config;

import java.time.Duration;
import java.util.Optional;

/**
 * PostgreSQL connection settings (keys {@code db.*}).
 *
 * @param standby the streaming-replication standby that serves listings, if one is configured
 */
public record DatabaseConfig(
        String url,
        String user,
        Secret password,
        int poolSize,
        Duration connectTimeout,
        Optional<Standby> standby) {

    /** A standby's login ({@code db.standby-*}); pooled like the primary ({@code db.pool-size}, {@code db.connect-timeout}). */
    public record Standby(String url, String user, Secret password) {
    }
}
