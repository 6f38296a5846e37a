package org.syncservice.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where values come from besides the file's lines: the environment, secret files; and repeated keys. */
class ConfigSourcesTest {

    @TempDir
    Path dir;

    @Test
    void aKeySetTwiceIsRefusedNamingTheKeyAndBothLines() throws IOException {
        Path file = write("# pool\ndb.pool-size=4\namqp.host=a\\\n   b\n\ndb.pool-size=16\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + file + ": key 'db.pool-size' is set twice, on lines 2 and 6 (keep one)");
    }

    @Test
    void aContinuedLineIsOneEntryAndCommentsAreNotKeys() throws IOException {
        ServiceConfig config = ConfigLoader.load(write("amqp.host=broker\\\n  .example.org\n# db.pool-size=1\n"
                + "! db.pool-size=2\ndb.pool-size=3\n"), Map.of());

        assertThat(config.amqp().host()).isEqualTo("broker.example.org");
        assertThat(config.database().poolSize()).isEqualTo(3);
    }

    @Test
    void anEnvironmentVariableWinsOverTheFile() throws IOException {
        ServiceConfig config = ConfigLoader.load(write("db.pool-size=4\namqp.host=from-file\n"),
                Map.of("SYNCSERVICE_DB_POOL_SIZE", "12", "SYNCSERVICE_DB_PASSWORD", "from-env"));

        assertThat(config.database().poolSize()).isEqualTo(12);
        assertThat(config.database().password().reveal()).isEqualTo("from-env");
        assertThat(config.amqp().host()).isEqualTo("from-file");
    }

    @Test
    void everyKeyHasItsOwnVariableNamedByTheDocumentedRule() {
        assertThat(ConfigKey.DB_PASSWORD.environmentVariable()).isEqualTo("SYNCSERVICE_DB_PASSWORD");
        assertThat(ConfigKey.STORAGE_S3_SECRET_KEY.environmentVariable()).isEqualTo("SYNCSERVICE_STORAGE_S3_SECRET_KEY");
        var keys = Arrays.stream(ConfigKey.values())
                .flatMap(key -> Stream.concat(Stream.of(key.key()), key.fileKey().stream())).toList();

        assertThat(keys.stream().map(EnvironmentVariables::forKey).collect(Collectors.toSet())).hasSameSizeAs(keys);
    }

    @Test
    void anInvalidValueFromTheEnvironmentIsRejectedNamingTheKey() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write(""), Map.of("SYNCSERVICE_AMQP_PREFETCH", "lots")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("amqp.prefetch: ");
    }

    @Test
    void aMistypedVariableUnderAKeysPrefixIsRefusedWithTheLikelyOne() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write(""), Map.of("SYNCSERVICE_DB_PASWORD", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable SYNCSERVICE_DB_PASWORD names no key (did you mean "
                        + "SYNCSERVICE_DB_PASSWORD?)");
    }

    @Test
    void theScriptsOwnVariablesAreNotConfig() throws IOException {
        ServiceConfig config = ConfigLoader.load(write(""), Map.of("SYNCSERVICE_PASSWORD", "pw",
                "SYNCSERVICE_CONFIG", "x.properties", "SYNCSERVICE_JAR", "y.jar", "PATH", "/bin"));

        assertThat(config.toString()).isEqualTo(ConfigLoader.load(Map.of()).toString());
    }

    @Test
    void aSecretIsReadFromItsFileWithoutTheFinalLineBreak() throws IOException {
        Path secret = dir.resolve("db-password");
        Files.writeString(secret, "s3cret with space \n");
        Path amqp = dir.resolve("amqp-password");
        Files.writeString(amqp, "line1\r\n");

        ServiceConfig config = ConfigLoader.load(write("db.password-file=" + secret + "\n"),
                Map.of("SYNCSERVICE_AMQP_PASSWORD_FILE", amqp.toString()));

        assertThat(config.database().password().reveal()).isEqualTo("s3cret with space ");
        assertThat(config.amqp().password().reveal()).isEqualTo("line1");
        assertThat(config.toString()).doesNotContain("s3cret", "line1");
    }

    @Test
    void everySecretHasAFileKey() throws IOException {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "from-file");
        String lines = Arrays.stream(ConfigKey.values()).flatMap(key -> key.fileKey().stream())
                .map(fileKey -> fileKey + "=" + secret + "\n").collect(Collectors.joining())
                // A standby's password is only taken with the standby it belongs to.
                + "db.standby-url=jdbc:postgresql://replica/syncservice\ndb.standby-user=reader\n";

        ServiceConfig s3 = ConfigLoader.load(write(lines), Map.of());
        ServiceConfig swift = ConfigLoader.load(write(lines + "storage.backend=swift\n"), Map.of());
        ServiceConfig ftp = ConfigLoader.load(write(lines + "storage.backend=ftp\n"), Map.of());

        assertThat(Stream.of(s3.database().password(), s3.database().standby().orElseThrow().password(),
                s3.amqp().password(), s3.storage().s3().secretKey(),
                swift.storage().swift().password(), swift.storage().swift().tempUrlKey(),
                ftp.storage().ftp().password())).allSatisfy(value -> assertThat(value.reveal()).isEqualTo("from-file"));
    }

    @Test
    void aSecretAndItsFileInTheSameFileAreRefusedNamingBoth() throws IOException {
        Path file = write("db.password=inline-secret\ndb.password-file=/run/secrets/db\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("db.password and db.password-file are both set (line 1 of " + file + "; line 2 of " + file
                        + "): set one of them")
                .hasMessageNotContaining("inline-secret");
    }

    @Test
    void bothVariablesOfASecretAreRefusedNamingBoth() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write(""), Map.of("SYNCSERVICE_DB_PASSWORD", "x",
                "SYNCSERVICE_DB_PASSWORD_FILE", "/run/secrets/db")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("db.password and db.password-file are both set (environment variable SYNCSERVICE_DB_PASSWORD;"
                        + " environment variable SYNCSERVICE_DB_PASSWORD_FILE): set one of them");
    }

    @Test
    void aSecretFileFromTheEnvironmentReplacesTheSecretInTheFile() throws IOException {
        Path secret = dir.resolve("amqp");
        Files.writeString(secret, "from-credential\n");

        ServiceConfig config = ConfigLoader.load(write("amqp.password=guest\n"),
                Map.of("SYNCSERVICE_AMQP_PASSWORD_FILE", secret.toString()));

        assertThat(config.amqp().password().reveal()).isEqualTo("from-credential");
    }

    @Test
    void aMissingSecretFileIsRefusedNamingTheKeyAndThePath() throws IOException {
        Path missing = dir.resolve("absent");

        assertThatThrownBy(() -> ConfigLoader.load(write("storage.s3.secret-key-file=" + missing + "\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("storage.s3.secret-key-file: cannot read '" + missing + "': ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aFileKeyOfAKeyThatIsNoSecretIsUnknown() throws IOException {
        Path file = write("db.url-file=/tmp/x\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown key 'db.url-file'");
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(dir, "config", ".properties");
        Files.writeString(file, content);
        return file;
    }
}
