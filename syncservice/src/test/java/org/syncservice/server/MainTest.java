package org.syncservice.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.server.store.jdbc.SetupScript;
import org.syncservice.server.testing.TestDatabase;

/** The jar's command line as an operator meets it: output, exit codes, one-line errors. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionPrintsTheVersionAndSucceeds() {
        assertThat(run("-v")).isZero();
        assertThat(out()).startsWith("syncservice ");
    }

    @Test
    void helpListsEveryOption() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("--config", "--dump-config", "--init-db", "--help", "--version");
    }

    @Test
    void dumpConfigPrintsExactlyTheExampleConfig() throws Exception {
        Path example = Path.of(System.getProperty("syncservice.projectRoot", ".."), "config.properties.example");

        assertThat(run("--dump-config")).isZero();
        assertThat(out()).isEqualTo(Files.readString(example));
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("Usage");
    }

    @Test
    void aBadValueStopsStartUpWithOneLineNamingTheKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.properties");
        Files.writeString(config, "amqp.prefetch=lots\n");

        assertThat(run("--config", config.toString())).isEqualTo(78);
        assertThat(err().lines()).hasSize(1);
        assertThat(err()).contains("amqp.prefetch").contains("lots");
    }

    @Test
    void aMissingConfigFileIsAConfigurationError(@TempDir Path dir) {
        assertThat(run("--config", dir.resolve("absent.properties").toString())).isEqualTo(78);
        assertThat(err()).contains("absent.properties");
    }

    @Test
    void anUnknownCommandIsAUsageError(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.properties");
        Files.writeString(config, "");

        assertThat(run("--config", config.toString(), "frobnicate")).isEqualTo(2);
        assertThat(err()).contains("frobnicate");
    }

    @Test
    void aPasswordNeverAppearsInTheOutput(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.properties");
        Files.writeString(config, "db.password=hunter2-secret\ndb.url=jdbc:postgresql://127.0.0.1:1/none\n"
                + "db.connect-timeout=1s\n");

        assertThat(run("--config", config.toString())).isNotZero();
        assertThat(out() + err()).doesNotContain("hunter2-secret");
    }

    @Test
    void initDbAppliesTheSchemaAndCanRunAgain(@TempDir Path dir) throws Exception {
        try (TestDatabase database = TestDatabase.createEmpty()) {
            Path config = dir.resolve("config.properties");
            Files.writeString(config, "db.url=" + database.url() + "\ndb.user=" + TestDatabase.user() + "\n");

            assertThat(run("--config", config.toString(), "--init-db")).isZero();
            assertThat(run("--config", config.toString(), "--init-db")).isZero();
            assertThat(out()).contains("schema version " + org.syncservice.server.testing.SchemaVersion.CURRENT);
        }
    }

    @Test
    void startingOnADatabaseWithoutSchemaSaysHowToCreateIt(@TempDir Path dir) throws Exception {
        try (TestDatabase database = TestDatabase.createEmpty()) {
            Path config = dir.resolve("config.properties");
            Files.writeString(config, "db.url=" + database.url() + "\ndb.user=" + TestDatabase.user() + "\n");

            assertThat(run("--config", config.toString())).isEqualTo(1);
            assertThat(err()).contains("--init-db");
        }
    }

    @Test
    void startingOnANewerSchemaSaysToRunTheNewerVersion(@TempDir Path dir) throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Path config = configFor(database, dir);
            recordALaterVersion(database);

            assertThat(run("--config", config.toString())).isEqualTo(1);
            assertThat(err().lines()).hasSize(1);
            assertThat(err()).contains("schema version 999", "newer", "run the newer service version");
        }
    }

    @Test
    void initDbLeavesANewerSchemaAloneAndSaysWhy(@TempDir Path dir) throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Path config = configFor(database, dir);
            recordALaterVersion(database);

            assertThat(run("--config", config.toString(), "--init-db")).isEqualTo(1);
            assertThat(err().lines()).hasSize(1);
            assertThat(err()).contains("schema version 999", "run the newer service version");
        }
    }

    @Test
    void anAdminCommandRefusesADatabaseWithoutSchemaInOneLine(@TempDir Path dir) throws Exception {
        try (TestDatabase database = TestDatabase.createEmpty()) {
            Path config = configFor(database, dir);

            assertThat(run("--config", config.toString(), "list-users")).isNotZero();
            assertThat(err().lines()).hasSize(1);
            assertThat(err()).contains("no syncservice schema", "--init-db");
        }
    }

    @Test
    void anAdminCommandRefusesANewerSchema(@TempDir Path dir) throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Path config = configFor(database, dir);
            recordALaterVersion(database);

            assertThat(run("--config", config.toString(), "list-users")).isNotZero();
            assertThat(err()).contains("schema version 999", "run the newer service version");
        }
    }

    @Test
    void initDbBaselinesADatabaseSetupDbSqlBuilt(@TempDir Path dir) throws Exception {
        try (TestDatabase database = TestDatabase.createEmpty()) {
            Path config = configFor(database, dir);
            new SetupScript(database.dataSource()).apply();

            assertThat(run("--config", config.toString(), "--init-db")).isZero();
            assertThat(out()).contains("schema version " + org.syncservice.server.testing.SchemaVersion.CURRENT + " is in place");
            assertThat(err()).isEmpty();
        }
    }

    private static Path configFor(TestDatabase database, Path dir) throws Exception {
        Path config = dir.resolve("config.properties");
        Files.writeString(config, "db.url=" + database.url() + "\ndb.user=" + TestDatabase.user() + "\n");
        return config;
    }

    /** As a newer service version would have left it: one more migration in the history. */
    private static void recordALaterVersion(TestDatabase database) throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success)"
                    + " VALUES (1000, '999', 'a later version', 'SQL', 'V999__a_later_version.sql', 1, 'test', 1, true)");
        }
    }
}
