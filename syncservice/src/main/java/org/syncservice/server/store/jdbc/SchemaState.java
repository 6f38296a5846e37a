package org.syncservice.server.store.jdbc;

import java.util.Optional;

/**
 * What a database holds, compared with the schema version this build of the service expects.
 * Immutable.
 *
 * @param kind how the database's schema stands
 * @param found the version the database records; 0 when it records none
 * @param expected the version of the newest migration this build ships
 */
public record SchemaState(Kind kind, int found, int expected) {

    public enum Kind {
        /** No tables at all: a new database. */
        EMPTY,
        /** Tables, but neither a migration history nor a schema_version table: not this service's. */
        FOREIGN,
        /** Built by setup_db.sql (no migration history) at the version expected. */
        SETUP_SCRIPT,
        /** Migrated to the version expected. */
        CURRENT,
        /** Behind: --init-db applies what is missing. */
        OLDER,
        /** Ahead: a newer version of the service migrated it. */
        NEWER,
        /** A migration failed half-way (possible only where DDL is not transactional). */
        FAILED
    }

    /** Whether the service may run on this database as it is. */
    public boolean usable() {
        return kind == Kind.CURRENT || kind == Kind.SETUP_SCRIPT;
    }

    /**
     * Why the service cannot run on this database and what to run, in one line; empty when it can.
     *
     * @param database how to name the database in the line (its URL)
     */
    public Optional<String> problem(String database) {
        return Optional.ofNullable(switch (kind) {
            case CURRENT, SETUP_SCRIPT -> null;
            case EMPTY -> "the database at " + database + " has no syncservice schema: create it with --init-db";
            case FOREIGN -> "the database at " + database + " holds tables but no syncservice schema"
                    + " (no flyway_schema_history, no schema_version): point db.url at the service's own database";
            case OLDER -> "the database at " + database + " has schema version " + found + ", older than version "
                    + expected + " that this service needs: migrate it with --init-db";
            case NEWER -> "the database at " + database + " has schema version " + found + ", newer than version "
                    + expected + " that this service knows: run the newer service version that migrated it";
            case FAILED -> "the database at " + database + " has a failed migration to version " + found
                    + " in flyway_schema_history: restore it from a backup taken before, then run --init-db";
        });
    }
}
