package org.syncservice.server.config;

import java.util.Objects;

/**
 * The whole configuration of one service instance: loaded and validated once at start-up by
 * {@link ConfigLoader}, then never changed. Immutable and thread-safe.
 */
public record ServiceConfig(
        DatabaseConfig database,
        AmqpConfig amqp,
        LimitsConfig limits,
        AuthConfig auth,
        NotificationConfig notifications,
        StorageConfig storage,
        HttpConfig http,
        RetentionConfig retention,
        LockConfig locks,
        LogConfig log) {

    public ServiceConfig {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(amqp, "amqp");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(locks, "locks");
        Objects.requireNonNull(log, "log");
    }
}
