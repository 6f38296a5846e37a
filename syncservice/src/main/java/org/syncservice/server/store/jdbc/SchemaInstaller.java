package org.syncservice.server.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Applies setup_db.sql (shipped inside the jar) to a database. The script is idempotent and
 * serialises concurrent appliers itself, so this may run against a database that already has the
 * schema, from several instances at once.
 */
public final class SchemaInstaller {
    static final String SCRIPT = "setup_db.sql";

    private final DataSource dataSource;

    public SchemaInstaller(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return the schema version the database has afterwards */
    public int apply() throws SQLException {
        String script = loadScript();
        try (Connection connection = dataSource.getConnection()) {
            // The script runs its own BEGIN ... COMMIT.
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET client_min_messages = warning");
                statement.execute(script);
            }
            return currentVersion(connection);
        }
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT max(version) FROM schema_version")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    static String loadScript() {
        try (InputStream in = SchemaInstaller.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
