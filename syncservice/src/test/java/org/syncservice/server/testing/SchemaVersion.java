package org.syncservice.server.testing;

/** The schema version this build's migrations build, for tests that name it. */
public final class SchemaVersion {
    /** The highest migration under store/jdbc/migration (and setup_db.sql's last schema_version row). */
    public static final int CURRENT = 6;

    private SchemaVersion() {
    }
}
