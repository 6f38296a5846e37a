package org.syncservice.server.config;

/**
 * The groups of configuration keys, in the order the example config lists them. Immutable and
 * thread-safe.
 */
public enum ConfigSection {
    DATABASE("PostgreSQL, the only place metadata lives"),
    AMQP("RabbitMQ (any AMQP 0-9-1 broker): how clients reach the service"),
    LIMITS("Limits enforced on every request and announced to clients in server info"),
    AUTH("Authentication of devices and users"),
    NOTIFICATIONS("Real-time change notifications to devices"),
    LOCKS("File locks (lock_item): how long a lock lasts unless its holder renews it"),
    RETENTION("What is purged, and when: deleted items, old versions, stored answers, unreferenced chunks"),
    STORAGE("Chunk storage: where file bytes live (clients upload them directly)"),
    STORAGE_S3("S3-compatible storage (read only when storage.backend=s3)"),
    STORAGE_SWIFT("OpenStack Swift storage (read only when storage.backend=swift)"),
    STORAGE_FTP("FTP storage (read only when storage.backend=ftp)"),
    HTTP("Health and metrics endpoint"),
    LOG("Logging");

    private final String heading;

    ConfigSection(String heading) {
        this.heading = heading;
    }

    /** The one-line heading printed above the section in the example config. */
    public String heading() {
        return heading;
    }
}
