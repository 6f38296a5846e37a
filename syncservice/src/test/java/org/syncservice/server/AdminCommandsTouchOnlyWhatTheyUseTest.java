package org.syncservice.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.server.storage.s3.TestS3Server;
import org.syncservice.server.testing.JarProcess;
import org.syncservice.server.testing.TestBroker;
import org.syncservice.server.testing.TestDatabase;

/**
 * Each admin command reaches only the components it uses, {@code status} names the one that is
 * down and changes nothing, and what a command prints is alone on standard output.
 */
class AdminCommandsTouchOnlyWhatTheyUseTest {
    private static final String NOTHING_LISTENS = "http://127.0.0.1:1";

    private static TestDatabase database;
    private static TestS3Server s3;
    @TempDir
    static Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void setUp() throws Exception {
        database = TestDatabase.create();
        s3 = TestS3Server.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            database.close();
        } finally {
            s3.close();
        }
    }

    private static Path config(String s3Endpoint, String bucket, String dbUrl) throws Exception {
        Path file = Files.createTempFile(dir, "config", ".properties");
        Files.writeString(file, "db.url=" + dbUrl + "\ndb.user=" + TestDatabase.user() + "\ndb.connect-timeout=1s\n"
                + "amqp.host=" + TestBroker.host() + "\namqp.port=" + TestBroker.port()
                + "\nauth.password-hash-iterations=10000\nauth.min-password-length=1"
                + "\nstorage.backend=s3\nstorage.s3.endpoint=" + s3Endpoint + "\nstorage.s3.bucket=" + bucket
                + "\nstorage.s3.access-key=" + TestS3Server.ACCESS_KEY
                + "\nstorage.s3.secret-key=" + TestS3Server.SECRET_KEY + "\n");
        return file;
    }

    private int admin(Path config, String... command) {
        out.reset();
        err.reset();
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        args.addAll(List.of(command));
        return Main.run(args.toArray(String[]::new), new ByteArrayInputStream("pw\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String bucket() {
        return "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Test
    void listUsersWorksWhileStorageIsDown() throws Exception {
        String email = addUser(config(s3.endpoint(), bucket(), database.url()));
        Path storageDown = config(NOTHING_LISTENS, bucket(), database.url());

        assertThat(admin(storageDown, "list-users")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out()).contains(email);
        assertThat(admin(storageDown, "set-quota", "--email", email, "--quota", "2G")).isZero();
    }

    @Test
    void statusBlamesStorageWhenOnlyStorageIsDown() throws Exception {
        assertThat(admin(config(NOTHING_LISTENS, bucket(), database.url()), "status")).isEqualTo(1);

        assertThat(out()).contains("database: UP", "broker: UP", "storage: DOWN (s3 bucket ");
    }

    @Test
    void statusBlamesTheDatabaseWhenOnlyTheDatabaseIsDown() throws Exception {
        String bucket = bucket();
        Path storageUp = config(s3.endpoint(), bucket, database.url());
        assertThat(admin(storageUp, "list-users")).isZero();
        // The service makes its bucket when it starts; here, as it would have.
        try (var ignored = new org.syncservice.server.storage.s3.S3ChunkStorage(
                org.syncservice.server.config.ConfigLoader.load(storageUp).storage().s3(), java.time.Clock.systemUTC())) {
            ignored.start();
        }

        assertThat(admin(config(s3.endpoint(), bucket, "jdbc:postgresql://127.0.0.1:1/none"), "status"))
                .isEqualTo(1);

        assertThat(out()).contains("database: DOWN", "broker: UP", "storage: UP");
    }

    @Test
    void statusCreatesNoBucket() throws Exception {
        String bucket = bucket();

        assertThat(admin(config(s3.endpoint(), bucket, database.url()), "status")).isEqualTo(1);

        assertThat(out()).contains("database: UP", "storage: DOWN", "bucket " + bucket + " does not exist");
        assertThat(s3.hasBucket(bucket)).isFalse();
    }

    private String addUser(Path config) {
        String email = UUID.randomUUID() + "@example.org";
        assertThat(admin(config, "add-user", "--email", email, "--name", "Ann", "--quota", "1G")).isZero();
        return email;
    }

    @Test
    void deleteUserSaysTheChunksWereRemoved() throws Exception {
        String bucket = bucket();
        Path up = config(s3.endpoint(), bucket, database.url());
        String email = addUser(up);

        assertThat(admin(up, "delete-user", "--email", email)).isZero();

        assertThat(out()).contains("chunks removed from storage: s3 " + bucket + " ").doesNotContain("left");
    }

    @Test
    void deleteUserWithStorageDownSaysWhatIsLeftThereAndFails() throws Exception {
        String bucket = bucket();
        String email = addUser(config(s3.endpoint(), bucket, database.url()));

        assertThat(admin(config(NOTHING_LISTENS, bucket, database.url()), "delete-user", "--email", email))
                .isEqualTo(1);

        assertThat(out()).contains("deleted user " + email,
                "chunks NOT removed from storage (unreachable; remove them there): s3 " + bucket + " ");
    }

    @Test
    void anAdminCommandPrintsItsOutputAloneOnStandardOutputAndLogsOnStandardError() throws Exception {
        Path up = config(s3.endpoint(), bucket(), database.url());
        String email = UUID.randomUUID() + "@example.org";

        JarProcess.Result result = JarProcess.run(dir, Map.of("SYNCSERVICE_PASSWORD", "pw"), "--config", up.toString(),
                "add-user", "--email", email, "--name", "Ann", "--quota", "1G");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines().toList()).isNotEmpty().allSatisfy(line ->
                assertThat(line).doesNotContain(" INFO ", " WARN ", "[main]"));
        assertThat(result.stderr()).contains(" INFO ");
    }
}
