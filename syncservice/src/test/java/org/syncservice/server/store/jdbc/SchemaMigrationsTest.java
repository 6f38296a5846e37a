package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.SchemaVersion.CURRENT;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.syncservice.server.testing.TestDatabase;

class SchemaMigrationsTest {
    private static final int LATER = 999;
    private static final List<String> WITH_A_LATER_VERSION =
            List.of(SchemaMigrations.LOCATION, "classpath:org/syncservice/server/store/jdbc/later");

    @Test
    void anEmptyDatabaseIsReportedEmptyAndMigratingItBuildsTheCurrentVersion() throws Exception {
        try (TestDatabase database = TestDatabase.createEmpty()) {
            SchemaMigrations migrations = new SchemaMigrations(database.dataSource());
            SchemaState empty = migrations.inspect();
            assertThat(empty.kind()).isEqualTo(SchemaState.Kind.EMPTY);
            assertThat(empty.problem("db")).hasValueSatisfying(line -> assertThat(line).contains("--init-db"));

            SchemaState migrated = migrations.migrate();

            assertThat(migrated).isEqualTo(new SchemaState(SchemaState.Kind.CURRENT, CURRENT, CURRENT));
            assertThat(migrated.problem("db")).isEmpty();
            assertThat(tables(database)).contains("users", "devices", "workspaces", "items", "item_versions",
                    "outbox", "cursor_keys", "schema_version", "flyway_schema_history");
        }
    }

    @Test
    void migratingACurrentDatabaseAgainChangesNothing() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            SchemaMigrations migrations = new SchemaMigrations(database.dataSource());
            List<String> history = history(database);

            assertThat(migrations.migrate()).isEqualTo(new SchemaState(SchemaState.Kind.CURRENT, CURRENT, CURRENT));
            assertThat(history(database)).isEqualTo(history).hasSize(CURRENT).startsWith("1 SQL initial schema true");
        }
    }

    @Test
    void aDatabaseOneMigrationBehindIsOlderUntilMigrated() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            SchemaMigrations later = new SchemaMigrations(database.dataSource(), WITH_A_LATER_VERSION);

            SchemaState behind = later.inspect();
            assertThat(behind).isEqualTo(new SchemaState(SchemaState.Kind.OLDER, CURRENT, LATER));
            assertThat(behind.problem("db")).hasValueSatisfying(line -> assertThat(line)
                    .contains("schema version " + CURRENT, "version " + LATER, "--init-db"));

            assertThat(later.migrate()).isEqualTo(new SchemaState(SchemaState.Kind.CURRENT, LATER, LATER));
            assertThat(columns(database, "users")).contains("nickname");
        }
    }

    @Test
    void aDatabaseWithAVersionThisBuildDoesNotKnowIsNewerAndLeftAlone() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            execute(database, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success)"
                    + " VALUES (1000, '" + LATER + "', 'a later version', 'SQL', 'V999__a_later_version.sql', 1, 'test', 1,"
                    + " true)");
            SchemaMigrations migrations = new SchemaMigrations(database.dataSource());

            SchemaState newer = migrations.inspect();
            assertThat(newer).isEqualTo(new SchemaState(SchemaState.Kind.NEWER, LATER, CURRENT));
            assertThat(newer.problem("db")).hasValueSatisfying(line -> assertThat(line)
                    .contains("schema version " + LATER, "newer", "run the newer service version"));
            assertThat(migrations.migrate()).isEqualTo(newer);
        }
    }

    @Test
    void aDatabaseSetUpBySetupDbSqlIsUsableAndMigratingBaselinesItAtItsVersion() throws Exception {
        try (TestDatabase database = TestDatabase.createEmpty()) {
            new SetupScript(database.dataSource()).apply();
            SchemaMigrations migrations = new SchemaMigrations(database.dataSource());

            SchemaState built = migrations.inspect();
            assertThat(built).isEqualTo(new SchemaState(SchemaState.Kind.SETUP_SCRIPT, CURRENT, CURRENT));
            assertThat(built.usable()).isTrue();

            assertThat(migrations.migrate()).isEqualTo(new SchemaState(SchemaState.Kind.CURRENT, CURRENT, CURRENT));
            assertThat(history(database)).containsExactly(CURRENT + " BASELINE schema built by setup_db.sql true");
            assertThat(new SchemaMigrations(database.dataSource(), WITH_A_LATER_VERSION).migrate())
                    .isEqualTo(new SchemaState(SchemaState.Kind.CURRENT, LATER, LATER));
        }
    }

    @Test
    void aDatabaseAnEarlierSetupDbSqlBuiltIsBroughtUpToDateBeforeItIsBaselined() throws Exception {
        try (TestDatabase database = TestDatabase.createEmpty()) {
            new SetupScript(database.dataSource()).apply();
            // As setup_db.sql built it before folder moves recorded tree_seq.
            execute(database, "ALTER TABLE items DROP COLUMN tree_seq");

            new SchemaMigrations(database.dataSource()).migrate();

            assertThat(columns(database, "items")).contains("tree_seq");
            assertThat(history(database)).containsExactly(CURRENT + " BASELINE schema built by setup_db.sql true");
        }
    }

    @Test
    void aDatabaseHoldingOtherTablesIsForeignAndLeftAlone() throws Exception {
        try (TestDatabase database = TestDatabase.createEmpty()) {
            execute(database, "CREATE TABLE invoices (id bigint PRIMARY KEY)");
            SchemaMigrations migrations = new SchemaMigrations(database.dataSource());

            assertThat(migrations.inspect().kind()).isEqualTo(SchemaState.Kind.FOREIGN);
            assertThat(migrations.migrate().kind()).isEqualTo(SchemaState.Kind.FOREIGN);
            assertThat(tables(database)).containsExactly("invoices");
        }
    }

    private static void execute(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> history(TestDatabase database) throws SQLException {
        return strings(database, "SELECT version || ' ' || type || ' ' || description || ' ' || success"
                + " FROM flyway_schema_history ORDER BY installed_rank");
    }

    private static List<String> tables(TestDatabase database) throws SQLException {
        return strings(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    }

    private static List<String> columns(TestDatabase database, String table) throws SQLException {
        return strings(database, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                + " AND table_name = '" + table + "' ORDER BY ordinal_position");
    }

    private static List<String> strings(TestDatabase database, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
