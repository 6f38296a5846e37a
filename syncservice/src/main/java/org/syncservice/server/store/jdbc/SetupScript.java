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
 * Runs setup_db.sql (shipped inside the jar), the whole current schema in one idempotent script, as
 * {@code psql -f setup_db.sql} would. The script serialises concurrent runs itself. Migrations
 * ({@link SchemaMigrations}) are how the service builds and upgrades a schema; this is how a
 * database that setup_db.sql built before migrations existed is brought to the version it then
 * baselines at.
 */
public final class SetupScript {
    static final String SCRIPT = "setup_db.sql";

    private final DataSource dataSource;

    public SetupScript(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void apply() throws SQLException {
        String script = load();
        try (Connection connection = dataSource.getConnection()) {
            // The script runs its own BEGIN ... COMMIT.
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET client_min_messages = warning");
                statement.execute(script);
            }
        }
    }

    static String load() {
        try (InputStream in = SetupScript.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
