package org.syncservice.server.config;

import static org.syncservice.server.config.ConfigSection.AMQP;
import static org.syncservice.server.config.ConfigSection.AUTH;
import static org.syncservice.server.config.ConfigSection.DATABASE;
import static org.syncservice.server.config.ConfigSection.HTTP;
import static org.syncservice.server.config.ConfigSection.LIMITS;
import static org.syncservice.server.config.ConfigSection.LOCKS;
import static org.syncservice.server.config.ConfigSection.LOG;
import static org.syncservice.server.config.ConfigSection.NOTIFICATIONS;
import static org.syncservice.server.config.ConfigSection.RETENTION;
import static org.syncservice.server.config.ConfigSection.STORAGE;
import static org.syncservice.server.config.ConfigSection.STORAGE_FTP;
import static org.syncservice.server.config.ConfigSection.STORAGE_S3;
import static org.syncservice.server.config.ConfigSection.STORAGE_SWIFT;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalog of every configuration key: its name, default, description, section and the rule
 * its value must follow. Declaration order is the order of the example config. Adding a key is
 * one constant here (plus the record component that carries its value). Immutable and
 * thread-safe.
 */
public enum ConfigKey {
    DB_URL(DATABASE, "db.url", "jdbc:postgresql://127.0.0.1:5432/syncservice",
            ValueType.postgresJdbcUrl(),
            "JDBC URL of the PostgreSQL database that holds all metadata. Name a primary and its",
            "standbys (//host1:5432,host2:5432/db?targetServerType=primary) to follow a failover:",
            "new connections go to whichever of them is the primary then."),
    DB_USER(DATABASE, "db.user", "syncservice", ValueType.nonEmptyText(),
            "Database role the service logs in as."),
    DB_PASSWORD(DATABASE, "db.password", "", ValueType.secret(false),
            "Password of db.user; empty when the server trusts local connections."),
    DB_POOL_SIZE(DATABASE, "db.pool-size", "8", ValueType.integer(1, 200),
            "Maximum number of pooled database connections per service instance.",
            "A few per CPU core of the database server beats many: extra connections only queue",
            "inside PostgreSQL."),
    DB_CONNECT_TIMEOUT(DATABASE, "db.connect-timeout", "5s",
            ValueType.duration(Duration.ofMillis(250), Duration.ofMinutes(10)),
            "How long a request waits for a free or new connection before it fails as unavailable."),
    DB_STANDBY_URL(DATABASE, "db.standby-url", "", ValueType.optionalPostgresJdbcUrl(),
            "JDBC URL of a streaming-replication standby of db.url that serves get_changes; empty for",
            "none. Listings the standby has not caught up with, and every listing while it is down,",
            "are served by db.url (docs/design.md, \"Listings from a standby\")."),
    DB_STANDBY_USER(DATABASE, "db.standby-user", "", ValueType.text(),
            "Database role for db.standby-url; empty for db.user (with db.password)."),
    DB_STANDBY_PASSWORD(DATABASE, "db.standby-password", "", ValueType.secret(false),
            "Password of db.standby-user."),

    AMQP_HOST(AMQP, "amqp.host", "127.0.0.1", ValueType.nonEmptyText(),
            "Host name or address of the broker."),
    AMQP_PORT(AMQP, "amqp.port", "5672", ValueType.integer(1, 65535),
            "Port of the broker (usually 5672, or 5671 with amqp.tls=true)."),
    AMQP_VIRTUAL_HOST(AMQP, "amqp.virtual-host", "/", ValueType.nonEmptyText(),
            "Virtual host that holds the service's queues and exchanges."),
    AMQP_USER(AMQP, "amqp.user", "guest", ValueType.nonEmptyText(),
            "User the service logs in to the broker as."),
    AMQP_PASSWORD(AMQP, "amqp.password", "guest", ValueType.secret(false),
            "Password of amqp.user."),
    AMQP_TLS(AMQP, "amqp.tls", "false", ValueType.bool(),
            "Connect with TLS. The broker's certificate and host name are verified against the",
            "JVM trust store (javax.net.ssl.trustStore); certificates are never trusted blindly."),
    AMQP_REQUEST_QUEUE(AMQP, "amqp.request-queue", "syncservice.requests", ValueType.amqpName(),
            "Durable queue clients send requests to; every service instance consumes from it."),
    AMQP_REQUEST_EXCHANGE(AMQP, "amqp.request-exchange", "syncservice.rpc", ValueType.amqpName(),
            "Direct exchange bound to amqp.request-queue (routing key: the queue's name), which",
            "clients publish requests to. A device's broker identity may write to this exchange",
            "only, never to the default exchange, which would reach every queue by name."),
    AMQP_NOTIFICATION_EXCHANGE(AMQP, "amqp.notification-exchange", "syncservice.notifications",
            ValueType.amqpName(),
            "Exchange that change notifications are published to, routed to per-device queues."),
    AMQP_QUORUM_QUEUES(AMQP, "amqp.quorum-queues", "false", ValueType.bool(),
            "Declare the request queue as a RabbitMQ quorum queue (replicated; RabbitMQ 3.8+).",
            "Leave false for brokers other than RabbitMQ. Changing it for an existing queue needs",
            "the queue deleted first, because the broker refuses to redeclare it."),
    AMQP_CONSUMERS(AMQP, "amqp.consumers", "1", ValueType.integer(1, 64),
            "Number of request consumers (channels, each with a thread that serves commits) per service",
            "instance. Each serves everything waiting for it at once, its commits in one transaction, so",
            "one usually does best: its groups are the largest. Instances that share requests in turn",
            "(the same amqp.consumer-priority): keep the sum over them at most the database's cores (on",
            "two cores, one group at a time measured best), else the commit groups get smaller and the",
            "database does more work per commit (docs/performance.md)."),
    AMQP_OTHER_REQUEST_THREADS(AMQP, "amqp.other-request-threads", "4", ValueType.integer(1, 64),
            "Threads per service instance that serve the requests other than commits (get_changes,",
            "login, sharing...), next to the consumers' threads, so that a slow one never holds up the",
            "commits behind it."),
    AMQP_PREFETCH(AMQP, "amqp.prefetch", "32", ValueType.integer(1, 10000),
            "Unacknowledged requests the broker may hand to each consumer at once."),
    AMQP_CONSUMER_PRIORITY(AMQP, "amqp.consumer-priority", "auto",
            ValueType.integerOrAuto(0, AmqpConfig.MAX_CONSUMER_PRIORITY),
            "Order in which the instances on one request queue get requests: the broker hands them",
            "to the highest priority until it holds amqp.prefetch unanswered, and only then to the",
            "next. So one instance serves a load it keeps up with, in the largest groups (the cheapest",
            "for the database), and the others take the overflow, or everything once it stops. auto",
            "draws a number below " + AmqpConfig.MAX_CONSUMER_PRIORITY + " at start (logged); the same number on every",
            "instance shares requests round-robin instead (docs/design.md)."),
    AMQP_HEARTBEAT(AMQP, "amqp.heartbeat", "30s",
            ValueType.duration(Duration.ZERO, Duration.ofMinutes(10)),
            "Heartbeat interval that detects a dead broker connection; 0s turns it off.",
            "The broker counts in whole seconds."),
    AMQP_RECOVERY_INTERVAL(AMQP, "amqp.recovery-interval", "2s",
            ValueType.duration(Duration.ofMillis(100), Duration.ofMinutes(10)),
            "Pause between attempts to reconnect after the broker connection was lost."),
    AMQP_MANAGEMENT_URL(AMQP, "amqp.management-url", "", ValueType.optionalHttpUrl(),
            "Base URL of RabbitMQ's management HTTP API (rabbitmq_management), e.g.",
            "http://127.0.0.1:15672, through which the service closes the broker connections of",
            "revoked and signed-out devices within auth.token-cache-ttl. Empty: they are not",
            "closed, only contained (their broker tokens expire and every later operation is",
            "refused; docs/design.md)."),
    AMQP_MANAGEMENT_USER(AMQP, "amqp.management-user", "", ValueType.text(),
            "Management API user (tag administrator: closing another user's connection needs it);",
            "required with amqp.management-url."),
    AMQP_MANAGEMENT_PASSWORD(AMQP, "amqp.management-password", "", ValueType.secret(false),
            "Password of amqp.management-user."),

    LIMITS_MAX_MESSAGE_BYTES(LIMITS, "limits.max-message-bytes", "4194304",
            ValueType.integer(1024, 134_217_728),
            "Largest request message in bytes; larger ones get an error reply and are dropped."),
    LIMITS_MAX_ITEMS_PER_COMMIT(LIMITS, "limits.max-items-per-commit", "1000",
            ValueType.integer(1, 100_000),
            "Most items one commit request may carry."),
    LIMITS_MAX_CHUNKS_PER_ITEM(LIMITS, "limits.max-chunks-per-item", "10000",
            ValueType.integer(1, 10_000_000),
            "Most chunks in the chunk list of one item version."),
    LIMITS_MAX_NAME_BYTES(LIMITS, "limits.max-name-bytes", "255", ValueType.integer(1, 1024),
            "Longest item name, in bytes of UTF-8 (255 matches common file systems)."),
    LIMITS_DEFAULT_PAGE_SIZE(LIMITS, "limits.default-page-size", "500",
            ValueType.integer(1, 1_000_000),
            "Changes per getChanges page when the client asks for no size; at most",
            "limits.max-page-size."),
    LIMITS_MAX_PAGE_SIZE(LIMITS, "limits.max-page-size", "5000", ValueType.integer(1, 1_000_000),
            "Most changes per getChanges page; larger client requests are reduced to this."),
    LIMITS_MAX_FILE_SIZE_BYTES(LIMITS, "limits.max-file-size-bytes", "1099511627776",
            ValueType.longInteger(1, Long.MAX_VALUE),
            "Largest file size in bytes an item version may declare (default 1 TiB)."),
    LIMITS_CHUNK_NAME_PATTERN(LIMITS, "limits.chunk-name-pattern", "[A-Za-z0-9_-]{8,128}",
            ValueType.regex(),
            "Every chunk name must match this whole pattern. Chunk names become object keys and",
            "file names in storage, so keep out '/', '.' and anything a back-end would interpret."),
    LIMITS_REQUESTS_PER_SECOND_PER_DEVICE(LIMITS, "limits.requests-per-second-per-device", "0",
            ValueType.integer(0, 1_000_000),
            "Requests per second one device may make before it is told to retry later;",
            "0 means unlimited."),
    LIMITS_PAGE_BYTES(LIMITS, "limits.page-bytes", "1048576", ValueType.integer(4096, 16_777_216),
            "A getChanges page ends before its items would take more bytes than this (it holds",
            "at least one item however large). Replies must stay under the broker's largest",
            "message (RabbitMQ 4: 16 MiB by default) and what clients buffer."),

    AUTH_TOKEN_CACHE_TTL(AUTH, "auth.token-cache-ttl", "30s",
            ValueType.duration(Duration.ofSeconds(1), Duration.ofMinutes(10)),
            "How long a verified device token is remembered. A revoked device may keep working",
            "for up to this long on an instance that has it cached."),
    AUTH_PASSWORD_HASH_ITERATIONS(AUTH, "auth.password-hash-iterations", "600000",
            ValueType.integer(10_000, 10_000_000),
            "PBKDF2-HMAC-SHA256 iterations for stored passwords (OWASP's Password Storage Cheat",
            "Sheet: 600000). A password stored with fewer is hashed again with this count at the",
            "user's next successful login."),
    AUTH_DEVICE_IDLE_LIFETIME(AUTH, "auth.device-idle-lifetime", "90d",
            ValueType.duration(Duration.ZERO, Duration.ofDays(36500)),
            "A device token expires once its device has not been seen this long; every use",
            "renews it, and an expired device logs in again (it stays registered). 0s: tokens",
            "never expire."),
    AUTH_LOGIN_FREE_FAILURES(AUTH, "auth.login-free-failures", "5", ValueType.integer(0, 1000),
            "Failed password attempts of one account (login, change_password) before each further",
            "attempt must wait: 1s after the next failure, doubling up to auth.login-max-delay.",
            "Counted in the database, shared by every instance; a success forgets them."),
    AUTH_LOGIN_MAX_DELAY(AUTH, "auth.login-max-delay", "15m",
            ValueType.duration(Duration.ofSeconds(1), Duration.ofDays(1)),
            "Longest wait imposed between two password attempts of one account."),
    AUTH_CONCURRENT_PASSWORD_CHECKS(AUTH, "auth.concurrent-password-checks", "auto",
            ValueType.integerOrAuto(1, 256),
            "Password hashes one instance runs at once; one more attempt is told to retry in a",
            "second. Bounds the CPU a flood of logins can take from commits. auto: half the",
            "cores, at least one."),
    AUTH_MIN_PASSWORD_LENGTH(AUTH, "auth.min-password-length", "12", ValueType.integer(1, 1024),
            "Fewest characters of a password set by create-user, reset-password or",
            "change_password (OWASP ASVS 4 V2.1.1: 12; NIST SP 800-63B-4 asks 15 where the",
            "password is the only factor). Passwords stored before a change keep working."),
    AUTH_REQUIRE_BROKER_USER_ID(AUTH, "auth.require-broker-user-id", "false", ValueType.bool(),
            "Refuse requests without an AMQP user_id. Set it where the broker authenticates every",
            "client (scripts/rabbitmq-auth-setup.sh): then each request names the broker user that",
            "published it, a device's broker user may present only its own token, and the login",
            "user may call only login and get_server_info. Off: requests without it are served."),
    AUTH_BROKER_LOGIN_USER(AUTH, "auth.broker-login-user", "syncservice-login", ValueType.nonEmptyText(),
            "The broker's login-only user, whose requests may be login, get_server_info and",
            "refresh_broker_token (which needs the device token) only."),
    AUTH_BROKER_SIGNING_KEY_FILE(AUTH, "auth.broker-signing-key-file", "", ValueType.optionalReadableFile(),
            "PEM file with the RSA private key (PKCS#8, 'BEGIN PRIVATE KEY', as openssl genpkey writes",
            "it) that signs devices' broker tokens; the broker holds its public half",
            "(scripts/rabbitmq-auth-setup.sh). Empty: no broker tokens are handed out (a broker",
            "without the JWT backend, the embedded mode). Tokens live auth.token-cache-ttl, the",
            "bound on how long a revoked device's connection stays usable; it must be at least 5s."),
    AUTH_BROKER_SIGNING_KEY_ID(AUTH, "auth.broker-signing-key-id", "syncservice",
            ValueType.matching("[A-Za-z0-9._-]{1,64}", "1 to 64 of A-Z a-z 0-9 . _ -"),
            "Key id (the JWT kid) the broker knows the public key by: SYNCSERVICE_SIGNING_KEY_ID of",
            "scripts/rabbitmq-auth-setup.sh."),
    AUTH_BROKER_RESOURCE_SERVER_ID(AUTH, "auth.broker-resource-server-id", "syncservice",
            ValueType.matching("[A-Za-z0-9_-]{1,64}", "1 to 64 of A-Z a-z 0-9 _ -"),
            "The broker's auth_oauth2.resource_server_id: the tokens' audience and scope prefix",
            "(SYNCSERVICE_RESOURCE_SERVER_ID of scripts/rabbitmq-auth-setup.sh)."),

    NOTIFICATIONS_DEVICE_QUEUE_TTL(NOTIFICATIONS, "notifications.device-queue-ttl", "7d",
            ValueType.duration(Duration.ofMinutes(1), Duration.ofDays(49)),
            "A device's notification queue is deleted after it has been unused this long; the",
            "device then catches up with getChanges. The broker caps it at about 49 days."),
    NOTIFICATIONS_DEVICE_QUEUE_MAX_LENGTH(NOTIFICATIONS, "notifications.device-queue-max-length",
            "10000", ValueType.integer(1, 10_000_000),
            "Most notifications kept for one offline device; the oldest are dropped first, which",
            "is harmless because getChanges fills the gap."),
    NOTIFICATIONS_MAX_ITEMS_PER_NOTIFICATION(NOTIFICATIONS,
            "notifications.max-items-per-notification", "100", ValueType.integer(1, 10_000),
            "Most items listed in one notification; a larger commit is announced without the",
            "list and devices fetch it with getChanges."),
    NOTIFICATIONS_OUTBOX_POLL_INTERVAL(NOTIFICATIONS, "notifications.outbox-poll-interval", "500ms",
            ValueType.duration(Duration.ofMillis(10), Duration.ofMinutes(1)),
            "How often each instance looks for unpublished notifications besides right after its",
            "own commits: the delay for rows left by a crash or committed by another instance."),
    NOTIFICATIONS_OUTBOX_BATCH_SIZE(NOTIFICATIONS, "notifications.outbox-batch-size", "100",
            ValueType.integer(1, 10_000),
            "Outbox rows claimed, published and confirmed per pass of the publisher."),
    NOTIFICATIONS_PERSISTENT(NOTIFICATIONS, "notifications.persistent", "false", ValueType.bool(),
            "Whether notifications are written to the broker's disk. Devices catch up with getChanges",
            "whenever they (re)connect, so a broker restart costs them nothing either way; true keeps",
            "queued notifications across it, at about a third more broker CPU (docs/notifications.md)."),
    NOTIFICATIONS_OUTBOX_RETENTION(NOTIFICATIONS, "notifications.outbox-retention", "1d",
            ValueType.duration(Duration.ofMinutes(1), Duration.ofDays(365)),
            "Published outbox rows are kept this long (for operators to inspect), then pruned."),
    NOTIFICATIONS_OUTBOX_MAX_ATTEMPTS(NOTIFICATIONS, "notifications.outbox-max-attempts", "10",
            ValueType.integer(1, 1_000),
            "A notification the broker refused (or that could not be built) this many times is set",
            "aside, so it no longer holds up the others; replay-outbox sends it again."),
    NOTIFICATIONS_MAX_NOTIFICATION_BYTES(NOTIFICATIONS, "notifications.max-notification-bytes", "65536",
            ValueType.integer(1_024, 16 * 1024 * 1024),
            "Largest encoded notification: a commit whose items would make it larger lists only the",
            "items that fit (items_omitted set) and devices fetch the rest with getChanges."),

    LOCKS_DEFAULT_DURATION(LOCKS, "locks.default-duration", "30m",
            ValueType.duration(Duration.ofSeconds(10), Duration.ofDays(7)),
            "How long a lock lasts when lock_item asks for no duration. The holder renews it by",
            "calling lock_item again before it expires; an expired lock simply stops counting, so a",
            "device that went away does not hold a file for longer than this. At most",
            "locks.max-duration."),
    LOCKS_MAX_DURATION(LOCKS, "locks.max-duration", "8h",
            ValueType.duration(Duration.ofSeconds(10), Duration.ofDays(7)),
            "Longest lock one lock_item may ask for (a longer request is cut to this), so a",
            "forgotten lock frees the file within a working day; renewing starts it again."),

    RETENTION_DELETED_ITEMS(RETENTION, "retention.deleted-items", "30d",
            ValueType.duration(Duration.ZERO, Duration.ofDays(36_500)),
            "Deleted items (tombstones) are kept this long after their deletion, with their versions,",
            "then purged; devices away longer list again from scratch (CURSOR_EXPIRED). 0s keeps them",
            "for ever (docs/retention.md)."),
    RETENTION_OLD_VERSIONS(RETENTION, "retention.old-versions", "30d",
            ValueType.duration(Duration.ZERO, Duration.ofDays(36_500)),
            "A version superseded longer ago than this is purged (no longer listed nor restorable);",
            "the latest version of a live item is always kept. 0s keeps every version."),
    RETENTION_IDEMPOTENCY_WINDOW(RETENTION, "retention.idempotency-window", "7d",
            ValueType.duration(Duration.ZERO, Duration.ofDays(36_500)),
            "Stored answers are kept this long: the longest a client may retry a request with the",
            "same request id and get the first answer (announced in server info). 0s keeps them for ever."),
    RETENTION_CHUNK_GRACE(RETENTION, "retention.chunk-grace", "1d",
            ValueType.duration(Duration.ZERO, Duration.ofDays(36_500)),
            "A chunk no kept version references is removed from storage only once it has been",
            "unreferenced, and its object unwritten, this long: time for an upload in progress to be",
            "committed. 0s removes unreferenced chunks on the next pass."),
    RETENTION_BATCH_SIZE(RETENTION, "retention.batch-size", "500", ValueType.integer(1, 100_000),
            "Rows (or chunks) purged per database transaction; each batch holds a workspace's lock",
            "only for its own short transaction."),
    RETENTION_PAUSE(RETENTION, "retention.pause", "1s",
            ValueType.duration(Duration.ZERO, Duration.ofMinutes(10)),
            "Pause between two batches, leaving the database to the commits: a batch of 500 takes",
            "about a tenth of a second of database time, so 1s keeps the purge near a tenth of a",
            "core (docs/performance.md) and still clears some 400 deleted items a second."),
    RETENTION_INTERVAL(RETENTION, "retention.interval", "10m",
            ValueType.duration(Duration.ofSeconds(1), Duration.ofDays(1)),
            "How often each instance looks for something to purge once a pass found nothing more."),

    STORAGE_BACKEND(STORAGE, "storage.backend", "s3", ValueType.choice(StorageChoices.BACKENDS),
            "Which back-end stores chunks; only that back-end's keys below are read."),
    STORAGE_SIGNED_URL_TTL(STORAGE, "storage.signed-url-ttl", "15m",
            ValueType.duration(Duration.ofMinutes(1), Duration.ofDays(7)),
            "Lifetime of the signed URLs (S3 presigned URLs, Swift TempURLs) handed to clients.",
            "S3 accepts at most 7 days."),
    STORAGE_VERIFY_CHUNKS(STORAGE, "storage.verify-chunks", "false", ValueType.bool(),
            "Check at commit time that every new chunk exists in storage. Safer, but costs one",
            "storage request per chunk."),

    STORAGE_S3_ENDPOINT(STORAGE_S3, "storage.s3.endpoint", "http://127.0.0.1:8081",
            ValueType.httpUrl(),
            "URL of the S3 API (AWS regional endpoint, MinIO, Ceph RGW, ...)."),
    STORAGE_S3_REGION(STORAGE_S3, "storage.s3.region", "us-east-1", ValueType.nonEmptyText(),
            "Region used to sign requests."),
    STORAGE_S3_BUCKET(STORAGE_S3, "storage.s3.bucket", "syncservice",
            ValueType.matching("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]",
                    "an S3 bucket name (3 to 63 of a-z 0-9 . -)"),
            "Bucket that holds all chunks, one key prefix per workspace."),
    STORAGE_S3_ACCESS_KEY(STORAGE_S3, "storage.s3.access-key", "local-identity",
            ValueType.nonEmptyText(),
            "Access key id of the service's credentials."),
    STORAGE_S3_SECRET_KEY(STORAGE_S3, "storage.s3.secret-key", "local-credential",
            ValueType.secret(true),
            "Secret access key of the service's credentials."),
    STORAGE_S3_PATH_STYLE(STORAGE_S3, "storage.s3.path-style", "true", ValueType.bool(),
            "Address buckets as endpoint/bucket rather than bucket.endpoint; most servers other",
            "than AWS need true."),

    STORAGE_SWIFT_AUTH_URL(STORAGE_SWIFT, "storage.swift.auth-url", "http://127.0.0.1:8080/auth/v1.0",
            ValueType.httpUrl(),
            "Identity endpoint: the TempAuth URL, or the Keystone v3 URL (ending in /v3)."),
    STORAGE_SWIFT_AUTH_VERSION(STORAGE_SWIFT, "storage.swift.auth-version", "tempauth",
            ValueType.choice(StorageChoices.SWIFT_AUTH),
            "How the service logs in to Swift."),
    STORAGE_SWIFT_USER(STORAGE_SWIFT, "storage.swift.user", "test:tester", ValueType.nonEmptyText(),
            "User name (account:user for TempAuth)."),
    STORAGE_SWIFT_PASSWORD(STORAGE_SWIFT, "storage.swift.password", "testing",
            ValueType.secret(true),
            "Password of storage.swift.user."),
    STORAGE_SWIFT_PROJECT(STORAGE_SWIFT, "storage.swift.project", "", ValueType.text(),
            "Keystone project to scope the token to; required with keystone-v3."),
    STORAGE_SWIFT_DOMAIN(STORAGE_SWIFT, "storage.swift.domain", "Default", ValueType.text(),
            "Keystone domain of the user and project (keystone-v3 only)."),
    STORAGE_SWIFT_REGION(STORAGE_SWIFT, "storage.swift.region", "", ValueType.text(),
            "Region to pick from the service catalog; empty takes the first one."),
    STORAGE_SWIFT_INTERFACE(STORAGE_SWIFT, "storage.swift.interface", "public",
            ValueType.choice(StorageChoices.SWIFT_INTERFACES),
            "Which object-store endpoint of the Keystone catalog to use (keystone-v3 only)."),
    STORAGE_SWIFT_TEMP_URL_KEY(STORAGE_SWIFT, "storage.swift.temp-url-key", "",
            ValueType.secret(false),
            "Account key that signs TempURLs; empty means the service hands out no signed URLs."),
    STORAGE_SWIFT_CONTAINER_PREFIX(STORAGE_SWIFT, "storage.swift.container-prefix", "syncservice-",
            ValueType.matching("[^/]{0,200}", "at most 200 characters, without '/'"),
            "Prefix of the container created for each workspace."),

    STORAGE_FTP_HOST(STORAGE_FTP, "storage.ftp.host", "127.0.0.1", ValueType.nonEmptyText(),
            "Host name or address of the FTP server."),
    STORAGE_FTP_PORT(STORAGE_FTP, "storage.ftp.port", "2121", ValueType.integer(1, 65535),
            "Port of the FTP server's control connection."),
    STORAGE_FTP_USER(STORAGE_FTP, "storage.ftp.user", "syncservice", ValueType.nonEmptyText(),
            "User the service logs in as."),
    STORAGE_FTP_PASSWORD(STORAGE_FTP, "storage.ftp.password", "", ValueType.secret(false),
            "Password of storage.ftp.user."),
    STORAGE_FTP_ROOT_DIRECTORY(STORAGE_FTP, "storage.ftp.root-directory", "/syncservice",
            ValueType.matching("/.*", "an absolute path starting with /"),
            "Directory under which each workspace gets its own directory."),
    STORAGE_FTP_TLS(STORAGE_FTP, "storage.ftp.tls", "false", ValueType.bool(),
            "Use explicit FTPS (AUTH TLS); the certificate is verified against the JVM trust store."),

    HTTP_BIND_ADDRESS(HTTP, "http.bind-address", "127.0.0.1", ValueType.nonEmptyText(),
            "Address the health and metrics endpoint listens on."),
    HTTP_PORT(HTTP, "http.port", "0", ValueType.integer(0, 65535),
            "Port of the health and metrics endpoint; 0 turns it off."),

    LOG_LEVEL(LOG, "log.level", "INFO", ValueType.choice(LogConfig.LEVELS),
            "Least severe level logged (on standard error). Lines before the configuration is read",
            "follow the environment variable SYNCSERVICE_LOG_LEVEL alone."),
    LOG_FORMAT(LOG, "log.format", "text", ValueType.choice(LogConfig.FORMATS),
            "text: one line per event for people and journald. json: one JSON object per line",
            "(logback's JsonEncoder: timestamp, level, loggerName, message, mdc, throwable...) for a",
            "log collector, from the moment the configuration is read.");

    private static final Map<String, ConfigKey> BY_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ConfigKey::key, Function.identity()));

    private final ConfigSection section;
    private final String key;
    private final String defaultValue;
    private final ValueType<?> type;
    private final List<String> description;

    ConfigKey(ConfigSection section, String key, String defaultValue, ValueType<?> type,
              String... description) {
        this.section = section;
        this.key = key;
        this.defaultValue = defaultValue;
        this.type = type;
        this.description = List.of(description);
    }

    /** The key as written in the config file, e.g. {@code db.pool-size}. */
    public String key() {
        return key;
    }

    /** The value used when the file does not set the key, as it would be written in the file. */
    public String defaultValue() {
        return defaultValue;
    }

    /** The comment lines that explain the key, without the leading {@code #}. */
    public List<String> description() {
        return description;
    }

    /** What a valid value looks like, e.g. "a whole number from 1 to 200"; empty for free text. */
    public Optional<String> expectation() {
        return Optional.ofNullable(type.expectation());
    }

    /** Whether the value is a secret, which is never logged nor put in a message. */
    public boolean secret() {
        return type.secret();
    }

    /**
     * The key that names a file holding this secret's value ({@code db.password-file} for
     * {@code db.password}); empty for a key that is no secret.
     */
    public Optional<String> fileKey() {
        return secret() ? Optional.of(key + SecretFiles.SUFFIX) : Optional.empty();
    }

    /** The environment variable that overrides this key ({@link EnvironmentVariables#forKey}). */
    public String environmentVariable() {
        return EnvironmentVariables.forKey(key);
    }

    public ConfigSection section() {
        return section;
    }

    ValueType<?> type() {
        return type;
    }

    /** The catalog entry for a key as written in the file. */
    public static Optional<ConfigKey> forKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }
}
