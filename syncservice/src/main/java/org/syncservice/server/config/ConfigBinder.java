package org.syncservice.server.config;

import static org.syncservice.server.config.ConfigKey.*;

import java.util.Map;

/**
 * Turns the raw text of every key into the typed config records. Keys are parsed when a record
 * needs them, so the keys of storage back-ends that are not selected are never parsed: a
 * half-filled Swift section does not stop a service that stores chunks in S3. Not thread-safe;
 * used once per load.
 */
final class ConfigBinder {
    private final Map<String, String> raw;

    /** @param raw the values given, by key; keys that are absent take their defaults */
    ConfigBinder(Map<String, String> raw) {
        this.raw = raw;
    }

    ServiceConfig bind() {
        return new ServiceConfig(database(), amqp(), limits(), auth(), notifications(), storage(),
                http(), retention(), locks(), new LogConfig(value(LOG_LEVEL), value(LOG_FORMAT)));
    }

    private DatabaseConfig database() {
        String user = value(DB_USER);
        Secret password = value(DB_PASSWORD);
        return new DatabaseConfig(value(DB_URL), user, password, value(DB_POOL_SIZE), value(DB_CONNECT_TIMEOUT),
                standby(user, password));
    }

    /** The standby's login is the primary's unless db.standby-user names another. */
    private java.util.Optional<DatabaseConfig.Standby> standby(String primaryUser, Secret primaryPassword) {
        java.util.Optional<String> url = value(DB_STANDBY_URL);
        String user = value(DB_STANDBY_USER);
        Secret password = value(DB_STANDBY_PASSWORD);
        if (url.isEmpty()) {
            for (ConfigKey key : java.util.List.of(DB_STANDBY_USER, DB_STANDBY_PASSWORD)) {
                if (!text(key).isEmpty()) {
                    throw new ConfigException(key.key() + ": expected " + DB_STANDBY_URL.key()
                            + " to be set as well (there is no standby without its URL)");
                }
            }
            return java.util.Optional.empty();
        }
        if (user.isEmpty() && !password.isEmpty()) {
            throw new ConfigException(DB_STANDBY_PASSWORD.key() + ": expected " + DB_STANDBY_USER.key()
                    + " to be set as well (without it the standby is reached as " + DB_USER.key()
                    + " with " + DB_PASSWORD.key() + ")");
        }
        return java.util.Optional.of(user.isEmpty()
                ? new DatabaseConfig.Standby(url.get(), primaryUser, primaryPassword)
                : new DatabaseConfig.Standby(url.get(), user, password));
    }

    private AmqpConfig amqp() {
        AmqpConfig amqp = new AmqpConfig(value(AMQP_HOST), value(AMQP_PORT), value(AMQP_VIRTUAL_HOST),
                value(AMQP_USER), value(AMQP_PASSWORD), value(AMQP_TLS), value(AMQP_REQUEST_QUEUE),
                value(AMQP_REQUEST_EXCHANGE),
                value(AMQP_NOTIFICATION_EXCHANGE), value(AMQP_QUORUM_QUEUES), value(AMQP_CONSUMERS),
                value(AMQP_OTHER_REQUEST_THREADS), value(AMQP_PREFETCH), value(AMQP_CONSUMER_PRIORITY),
                value(AMQP_HEARTBEAT), value(AMQP_RECOVERY_INTERVAL), value(AMQP_MANAGEMENT_URL),
                value(AMQP_MANAGEMENT_USER), value(AMQP_MANAGEMENT_PASSWORD));
        // The URL is logged at start; a password in it would be too.
        if (amqp.managementUrl().filter(url -> url.getRawUserInfo() != null).isPresent()) {
            throw new ConfigException(AMQP_MANAGEMENT_URL.key() + ": expected no user or password in the URL (they go in "
                    + AMQP_MANAGEMENT_USER.key() + " and " + AMQP_MANAGEMENT_PASSWORD.key() + ")");
        }
        if (amqp.managementUrl().isPresent() && amqp.managementUser().isEmpty()) {
            throw new ConfigException(AMQP_MANAGEMENT_USER.key() + ": expected a user when "
                    + AMQP_MANAGEMENT_URL.key() + " is set");
        }
        return amqp;
    }

    private LimitsConfig limits() {
        LimitsConfig limits = new LimitsConfig(value(LIMITS_MAX_MESSAGE_BYTES),
                value(LIMITS_MAX_ITEMS_PER_COMMIT), value(LIMITS_MAX_CHUNKS_PER_ITEM),
                value(LIMITS_MAX_NAME_BYTES), value(LIMITS_DEFAULT_PAGE_SIZE),
                value(LIMITS_MAX_PAGE_SIZE), value(LIMITS_MAX_FILE_SIZE_BYTES),
                value(LIMITS_CHUNK_NAME_PATTERN), value(LIMITS_REQUESTS_PER_SECOND_PER_DEVICE),
                value(LIMITS_PAGE_BYTES));
        if (limits.defaultPageSize() > limits.maxPageSize()) {
            throw new ConfigException(LIMITS_DEFAULT_PAGE_SIZE.key() + ": expected at most "
                    + LIMITS_MAX_PAGE_SIZE.key() + " (" + limits.maxPageSize() + "), got '"
                    + limits.defaultPageSize() + "'");
        }
        return limits;
    }

    private AuthConfig auth() {
        AuthConfig auth = new AuthConfig(value(AUTH_TOKEN_CACHE_TTL), value(AUTH_DEVICE_IDLE_LIFETIME),
                value(AUTH_PASSWORD_HASH_ITERATIONS),
                value(AUTH_MIN_PASSWORD_LENGTH), value(AUTH_LOGIN_FREE_FAILURES), value(AUTH_LOGIN_MAX_DELAY),
                value(AUTH_CONCURRENT_PASSWORD_CHECKS), value(AUTH_REQUIRE_BROKER_USER_ID),
                value(AUTH_BROKER_LOGIN_USER), value(AUTH_BROKER_SIGNING_KEY_FILE), value(AUTH_BROKER_SIGNING_KEY_ID),
                value(AUTH_BROKER_RESOURCE_SERVER_ID));
        // Tokens live as long as the cache; shorter than this they would be refreshed all the time
        // and the broker's whole-second expiry would eat much of them.
        if (auth.brokerTokens() && auth.tokenCacheTtl().compareTo(AuthConfig.MIN_BROKER_TOKEN_LIFETIME) < 0) {
            throw new ConfigException(AUTH_TOKEN_CACHE_TTL.key() + ": expected at least "
                    + ValueType.format(AuthConfig.MIN_BROKER_TOKEN_LIFETIME) + " when "
                    + AUTH_BROKER_SIGNING_KEY_FILE.key() + " is set (broker tokens live that long), got '"
                    + ValueType.format(auth.tokenCacheTtl()) + "'");
        }
        return auth;
    }

    private NotificationConfig notifications() {
        return new NotificationConfig(value(NOTIFICATIONS_DEVICE_QUEUE_TTL),
                value(NOTIFICATIONS_DEVICE_QUEUE_MAX_LENGTH),
                value(NOTIFICATIONS_MAX_ITEMS_PER_NOTIFICATION),
                value(NOTIFICATIONS_OUTBOX_POLL_INTERVAL), value(NOTIFICATIONS_OUTBOX_BATCH_SIZE),
                value(NOTIFICATIONS_OUTBOX_RETENTION), value(NOTIFICATIONS_PERSISTENT),
                value(NOTIFICATIONS_OUTBOX_MAX_ATTEMPTS), value(NOTIFICATIONS_MAX_NOTIFICATION_BYTES));
    }

    private StorageConfig storage() {
        StorageConfig.Backend backend = value(STORAGE_BACKEND);
        return new StorageConfig(backend, value(STORAGE_SIGNED_URL_TTL), value(STORAGE_VERIFY_CHUNKS),
                backend == StorageConfig.Backend.S3 ? s3() : null,
                backend == StorageConfig.Backend.SWIFT ? swift() : null,
                backend == StorageConfig.Backend.FTP ? ftp() : null);
    }

    private StorageConfig.S3 s3() {
        return new StorageConfig.S3(value(STORAGE_S3_ENDPOINT), value(STORAGE_S3_REGION),
                value(STORAGE_S3_BUCKET), value(STORAGE_S3_ACCESS_KEY), value(STORAGE_S3_SECRET_KEY),
                value(STORAGE_S3_PATH_STYLE));
    }

    private StorageConfig.Swift swift() {
        StorageConfig.Swift swift = new StorageConfig.Swift(value(STORAGE_SWIFT_AUTH_URL),
                value(STORAGE_SWIFT_AUTH_VERSION), value(STORAGE_SWIFT_USER),
                value(STORAGE_SWIFT_PASSWORD), value(STORAGE_SWIFT_PROJECT),
                value(STORAGE_SWIFT_DOMAIN), value(STORAGE_SWIFT_REGION),
                value(STORAGE_SWIFT_INTERFACE),
                value(STORAGE_SWIFT_TEMP_URL_KEY), value(STORAGE_SWIFT_CONTAINER_PREFIX));
        // Keystone v3 cannot issue a token with a storage URL without a project scope.
        if (swift.authVersion() == StorageConfig.SwiftAuth.KEYSTONE_V3 && swift.project().isEmpty()) {
            throw new ConfigException(STORAGE_SWIFT_PROJECT.key()
                    + ": expected a project name when " + STORAGE_SWIFT_AUTH_VERSION.key()
                    + " is keystone-v3");
        }
        return swift;
    }

    private StorageConfig.Ftp ftp() {
        return new StorageConfig.Ftp(value(STORAGE_FTP_HOST), value(STORAGE_FTP_PORT),
                value(STORAGE_FTP_USER), value(STORAGE_FTP_PASSWORD),
                value(STORAGE_FTP_ROOT_DIRECTORY), value(STORAGE_FTP_TLS));
    }

    private LockConfig locks() {
        LockConfig locks = new LockConfig(value(LOCKS_DEFAULT_DURATION), value(LOCKS_MAX_DURATION));
        if (locks.defaultDuration().compareTo(locks.maxDuration()) > 0) {
            throw new ConfigException(LOCKS_DEFAULT_DURATION.key() + ": expected at most "
                    + LOCKS_MAX_DURATION.key() + " (" + text(LOCKS_MAX_DURATION) + "), got '"
                    + text(LOCKS_DEFAULT_DURATION) + "'");
        }
        return locks;
    }

    private RetentionConfig retention() {
        return new RetentionConfig(value(RETENTION_DELETED_ITEMS), value(RETENTION_OLD_VERSIONS),
                value(RETENTION_IDEMPOTENCY_WINDOW), value(RETENTION_CHUNK_GRACE), value(RETENTION_BATCH_SIZE),
                value(RETENTION_PAUSE), value(RETENTION_INTERVAL));
    }

    private HttpConfig http() {
        return new HttpConfig(value(HTTP_BIND_ADDRESS), value(HTTP_PORT));
    }

    /** The key's text as given, or its default. */
    private String text(ConfigKey key) {
        return raw.getOrDefault(key.key(), key.defaultValue());
    }

    /**
     * The typed value of a key. The cast is checked by the catalog's own types: a key read into
     * the wrong record component fails every load, so the defaults test catches it at once.
     */
    @SuppressWarnings("unchecked")
    private <T> T value(ConfigKey key) {
        String text = text(key);
        try {
            return (T) key.type().parse(text);
        } catch (ValueType.Invalid e) {
            throw new ConfigException(Messages.invalid(key, text, e.getMessage()));
        }
    }
}
