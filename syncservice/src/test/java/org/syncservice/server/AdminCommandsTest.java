package org.syncservice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.server.account.DeviceInfo;
import org.syncservice.server.account.LoginAttempt;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.testing.TestBroker;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.storage.s3.TestS3Server;
import org.syncservice.server.testing.TestDatabase;

/** The admin subcommands as an operator meets them through the jar's command line. */
class AdminCommandsTest {
    private static TestDatabase database;
    private static ServiceComponents components;
    @TempDir
    static Path dir;
    private static Path config;
    private static TestS3Server s3;

    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeAll
    static void setUp() throws Exception {
        database = TestDatabase.create();
        components = TestComponents.create(database);
        config = dir.resolve("config.properties");
        s3 = TestS3Server.start();
        Files.writeString(config, "db.url=" + database.url() + "\ndb.user=" + TestDatabase.user()
                + "\namqp.host=" + TestBroker.host() + "\namqp.port=" + TestBroker.port()
                + "\nauth.password-hash-iterations=10000\nauth.min-password-length=1"
                + "\nstorage.backend=s3\nstorage.s3.endpoint=" + s3.endpoint()
                + "\nstorage.s3.access-key=" + TestS3Server.ACCESS_KEY
                + "\nstorage.s3.secret-key=" + TestS3Server.SECRET_KEY + "\n");
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            database.close();
        } finally {
            s3.close();
        }
    }

    @BeforeEach
    void resetOutput() {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
    }

    private int admin(String stdin, Map<String, String> env, String... command) {
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        args.addAll(List.of(command));
        return Main.run(args.toArray(String[]::new), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
    }

    private int admin(String... command) {
        return admin("", Map.of(), command);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String newEmail() {
        return UUID.randomUUID() + "@example.org";
    }

    private String addUser(String email) {
        int code = admin("secret-pw\n", Map.of(), "add-user", "--email", email, "--name", "Ann", "--quota", "1G");
        assertThat(code).as(err()).isZero();
        return email;
    }

    @Test
    void addUserReadsThePasswordFromStandardInputAndCreatesTheDefaultWorkspace() {
        String email = newEmail();

        assertThat(admin("from-stdin\n", Map.of(), "add-user", "--email", email, "--name", "Ann", "--quota", "1G"))
                .isZero();

        assertThat(out()).contains("created user " + email).contains("default workspace");
        UUID userId = components.accounts().userIdForEmail(email);
        assertThat(components.workspaces().list(userId)).singleElement()
                .satisfies(workspace -> assertThat(workspace.isDefault()).isTrue());
        assertThat(components.accounts().accountInfo(userId).quotaLimitBytes()).isEqualTo(1L << 30);
        assertThat(components.accounts().login(new LoginAttempt(email, "from-stdin", java.util.Optional.empty(), "laptop", "linux", "1.0", "req-1"))
                .userId()).isEqualTo(userId);
    }

    @Test
    void addUserTakesThePasswordFromTheEnvironmentBeforeStandardInput() {
        String email = newEmail();

        assertThat(admin("", Map.of("SYNCSERVICE_PASSWORD", "from-env"),
                "add-user", "--email", email, "--name", "Ann", "--quota", "0")).isZero();

        assertThat(components.accounts().login(new LoginAttempt(email, "from-env", java.util.Optional.empty(), "laptop", "linux", "1.0", "req-1"))).isNotNull();
    }

    @Test
    void addUserRefusesAPasswordOnTheCommandLine() {
        int code = admin("add-user", "--email", newEmail(), "--name", "Ann", "--quota", "0", "--password", "pw");

        assertThat(code).isEqualTo(2);
        assertThat(err().lines()).singleElement().asString().contains("standard input").doesNotContain("pw\n");
    }

    @Test
    void addUserWithoutAnyPasswordIsAUsageError() {
        assertThat(admin("add-user", "--email", newEmail(), "--name", "Ann", "--quota", "0")).isEqualTo(2);
        assertThat(err().lines()).singleElement().asString().contains("no password");
    }

    @Test
    void aDuplicateEmailIsAConflict() {
        String email = addUser(newEmail());
        resetOutput();

        assertThat(admin("pw\n", Map.of(), "add-user", "--email", email.toUpperCase(), "--name", "B", "--quota", "1"))
                .isEqualTo(4);
        assertThat(err().lines()).singleElement().asString().contains("exists");
    }

    @Test
    void aMissingOptionOrABadQuotaIsAUsageErrorOnOneLine() {
        assertThat(admin("add-user", "--email", newEmail())).isEqualTo(2);
        assertThat(err().lines()).singleElement().asString().contains("--name");
        resetOutput();

        assertThat(admin("set-quota", "--email", "a@b.c", "--quota", "lots")).isEqualTo(2);
        assertThat(err().lines()).singleElement().asString().contains("--quota").contains("lots");
    }

    @Test
    void everyCommandHasItsOwnHelp() {
        assertThat(admin("add-user", "--help")).isZero();
        assertThat(out()).contains("--email", "--name", "--quota");
    }

    @Test
    void listUsersShowsQuotaAndDeviceCounts() {
        String email = addUser(newEmail());
        components.accounts().login(new LoginAttempt(email, "secret-pw", java.util.Optional.empty(), "laptop", "linux", "1.0", "req-1"));
        resetOutput();

        assertThat(admin("list-users")).isZero();

        String line = out().lines().filter(l -> l.startsWith(email)).findFirst().orElseThrow();
        assertThat(line.split("\\s+")).containsSequence(email, "Ann", "0", Long.toString(1L << 30), "1", "1");
        assertThat(out().lines().findFirst().orElseThrow()).contains("EMAIL", "QUOTA", "DEVICES");
    }

    @Test
    void groupManagesAUsersGroupsAsTheirOwnerWould() {
        String owner = addUser(newEmail());
        String member = addUser(newEmail());
        UUID ownerId = components.accounts().userIdForEmail(owner);

        assertThat(admin("group", "--action", "create", "--owner", owner, "--name", "Team")).as(err()).isZero();
        assertThat(admin("group", "--action", "add", "--owner", owner, "--name", "Team", "--email", member))
                .as(err()).isZero();
        resetOutput();
        assertThat(admin("group", "--action", "list", "--owner", owner)).as(err()).isZero();
        assertThat(out()).contains("Team", member);
        assertThat(components.groups().groups(ownerId)).singleElement()
                .satisfies(g -> assertThat(g.members()).extracting(m -> m.email()).containsExactly(member));

        assertThat(admin("group", "--action", "remove", "--owner", owner, "--name", "Team", "--email", member))
                .as(err()).isZero();
        assertThat(components.groups().groups(ownerId).get(0).members()).isEmpty();
        assertThat(admin("group", "--action", "delete", "--owner", owner, "--name", "Team")).as(err()).isZero();
        assertThat(components.groups().groups(ownerId)).isEmpty();

        resetOutput();
        assertThat(admin("group", "--action", "delete", "--owner", owner, "--name", "Team")).isEqualTo(3);
        assertThat(err().lines()).singleElement().asString().contains("no group 'Team'");
        resetOutput();
        assertThat(admin("group", "--action", "add", "--owner", owner, "--name", "Team")).isEqualTo(2);
        assertThat(err().lines()).singleElement().asString().contains("needs --email");
        resetOutput();
        assertThat(admin("group", "--action", "rename", "--owner", owner)).isEqualTo(2);
        assertThat(err().lines()).singleElement().asString().contains("--action");
        resetOutput();
        assertThat(admin("group", "--action", "list", "--owner", newEmail())).isEqualTo(3);
    }

    @Test
    void setQuotaChangesTheLimitAndAnUnknownUserIsNotFound() {
        String email = addUser(newEmail());

        assertThat(admin("set-quota", "--email", email, "--quota", "5M")).isZero();
        assertThat(components.accounts().accountInfo(components.accounts().userIdForEmail(email)).quotaLimitBytes())
                .isEqualTo(5L << 20);

        assertThat(admin("set-quota", "--email", "nobody@example.org", "--quota", "1")).isEqualTo(3);
        assertThat(err().lines()).singleElement().asString().contains("nobody@example.org");
    }

    @Test
    void newEpochExpiresEveryCursorHandedOutBefore() {
        String email = addUser(newEmail());
        var login = components.accounts().login(new org.syncservice.server.account.LoginAttempt(email, "secret-pw",
                java.util.Optional.empty(), "laptop", "linux", "1", "login-" + UUID.randomUUID()));
        var ann = new org.syncservice.server.core.Principal(login.userId(), login.deviceId());
        UUID workspace = components.workspaces().list(ann.userId()).get(0).workspaceId();
        String cursor = components.changes().changes(ann, workspace, "", 0).nextCursor();

        assertThat(admin("new-epoch")).as(err()).isZero();

        assertThat(out()).contains("new cursor epoch");
        var error = org.junit.jupiter.api.Assertions.assertThrows(org.syncservice.server.core.ServiceException.class,
                () -> components.changes().changes(ann, workspace, cursor, 0));
        assertThat(error.kind()).isEqualTo(org.syncservice.server.core.ServiceException.Kind.CURSOR_EXPIRED);
        String fresh = components.changes().changes(ann, workspace, "", 0).nextCursor();
        assertThat(components.changes().changes(ann, workspace, fresh, 0).items()).isEmpty();
    }

    @Test
    void listAndRevokeDevices() {
        String email = addUser(newEmail());
        UUID deviceId = components.accounts().login(new LoginAttempt(email, "secret-pw", java.util.Optional.empty(), "laptop", "linux", "1.0", "req-1"))
                .deviceId();
        resetOutput();

        assertThat(admin("list-devices", "--email", email)).isZero();
        assertThat(out()).contains(deviceId.toString()).contains("laptop");

        assertThat(admin("revoke-device", "--email", email, "--device", deviceId.toString())).isZero();
        UUID userId = components.accounts().userIdForEmail(email);
        assertThat(components.accounts().listDevices(userId)).extracting(DeviceInfo::deviceId)
                .doesNotContain(deviceId);
    }

    @Test
    void resetPasswordSetsThePasswordFromStandardInputOrTheEnvironmentAndSignsOutEveryDevice() {
        String email = addUser(newEmail());
        components.accounts().login(new LoginAttempt(email, "secret-pw", java.util.Optional.empty(), "laptop",
                "linux", "1.0", "req-1"));
        resetOutput();

        assertThat(admin("new-pw-from-stdin\n", Map.of(), "reset-password", "--email", email)).as(err()).isZero();
        assertThat(out()).contains("1 devices must log in again");
        assertThatThrownBy(() -> components.accounts().login(new LoginAttempt(email, "secret-pw",
                java.util.Optional.empty(), "laptop", "linux", "1.0", "req-2"))).isInstanceOf(ServiceException.class);
        components.accounts().login(new LoginAttempt(email, "new-pw-from-stdin", java.util.Optional.empty(),
                "laptop", "linux", "1.0", "req-3"));

        assertThat(admin("", Map.of("SYNCSERVICE_PASSWORD", "new-pw-from-env"), "reset-password", "--email", email))
                .isZero();
        components.accounts().login(new LoginAttempt(email, "new-pw-from-env", java.util.Optional.empty(),
                "laptop", "linux", "1.0", "req-4"));
        resetOutput();
        assertThat(admin("reset-password", "--email", email, "--password", "pw")).as("never on the command line")
                .isEqualTo(2);
        assertThat(admin("x\n", Map.of(), "reset-password", "--email", "nobody@example.org")).isEqualTo(3);
    }

    @Test
    void revokingAnUnknownDeviceIsNotFoundAndABadIdIsAUsageError() {
        String email = addUser(newEmail());
        resetOutput();

        assertThat(admin("revoke-device", "--email", email, "--device", UUID.randomUUID().toString()))
                .isEqualTo(3);
        assertThat(err().lines()).hasSize(1);
        resetOutput();

        assertThat(admin("revoke-device", "--email", email, "--device", "not-an-id")).isEqualTo(2);
        assertThat(err().lines()).hasSize(1);
        resetOutput();

        assertThat(admin("list-devices", "--email", "nobody@example.org")).isEqualTo(3);
    }

    @Test
    void addWorkspaceCreatesAnOwnedWorkspaceOnceByName() {
        String email = addUser(newEmail());
        resetOutput();

        assertThat(admin("add-workspace", "--email", email, "--name", "Projects")).isZero();
        UUID userId = components.accounts().userIdForEmail(email);
        assertThat(components.workspaces().list(userId)).hasSize(2)
                .anySatisfy(w -> {
                    assertThat(w.name()).isEqualTo("Projects");
                    assertThat(w.isDefault()).isFalse();
                    assertThat(w.role().name()).isEqualTo("OWNER");
                    assertThat(w.ownerId()).isEqualTo(userId);
                });

        assertThat(admin("add-workspace", "--email", email, "--name", "Projects")).isEqualTo(4);
        assertThat(admin("add-workspace", "--email", "nobody@example.org", "--name", "X")).isEqualTo(3);
    }

    @Test
    void deleteUserRemovesDevicesWorkspacesAndItems() {
        String email = addUser(newEmail());
        components.accounts().login(new LoginAttempt(email, "secret-pw", java.util.Optional.empty(), "laptop", "linux", "1.0", "req-1"));
        assertThat(admin("add-workspace", "--email", email, "--name", "Extra")).isZero();
        java.util.UUID userId = components.accounts().userIdForEmail(email);
        List<String> prefixes = components.workspaces().list(userId).stream()
                .map(w -> w.storage().prefix()).toList();
        try (var s3Client = s3Client()) {
            for (String prefix : prefixes) {
                s3Client.putObject(b -> b.bucket("syncservice").key(prefix + "chunk0001"),
                        software.amazon.awssdk.core.sync.RequestBody.fromString("bytes"));
            }
            resetOutput();

            assertThat(admin("delete-user", "--email", email)).as(err()).isZero();

            for (String prefix : prefixes) {
                assertThat(s3Client.listObjectsV2(b -> b.bucket("syncservice").prefix(prefix)).contents())
                        .as("objects left under " + prefix).isEmpty();
            }
        }
        assertThat(out()).contains("1 devices, 2 workspaces");
        assertThat(components.accounts().listUsers()).noneMatch(u -> u.email().equals(email));
        resetOutput();
        assertThat(admin("delete-user", "--email", email)).isEqualTo(3);
        assertThat(err().lines()).hasSize(1);
    }

    private static software.amazon.awssdk.services.s3.S3Client s3Client() {
        return software.amazon.awssdk.services.s3.S3Client.builder()
                .endpointOverride(java.net.URI.create(s3.endpoint()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                TestS3Server.ACCESS_KEY, TestS3Server.SECRET_KEY)))
                .build();
    }

    @Test
    void purgeRunsOnlyWithNowAndSaysWhatItPurged() {
        assertThat(admin("purge")).isEqualTo(2);
        assertThat(err()).contains("--now");
        resetOutput();

        assertThat(admin("purge", "--now")).as(err()).isZero();

        assertThat(out()).containsPattern("purged \\d+ deleted items, \\d+ versions, \\d+ stored answers");
    }

    @Test
    void purgeChunksDryRunListsWhatWouldGoAndTheRunRemovesIt() throws Exception {
        String email = newEmail();
        addUser(email);
        var workspace = components.workspaces().list(components.accounts().listUsers().stream()
                .filter(u -> u.email().equals(email)).findFirst().orElseThrow().userId()).get(0);
        String prefix = workspace.storage().prefix();
        String chunk = "chunk_" + java.util.UUID.randomUUID().toString().replace("-", "");
        Path noGrace = dir.resolve("no-grace.properties");
        Files.writeString(noGrace, Files.readString(config) + "retention.chunk-grace=0s\n");
        try (var s3Client = s3Client(); var c = database.dataSource().getConnection();
             var insert = c.prepareStatement("INSERT INTO chunk_garbage VALUES ('S3', 'syncservice', ?, ?,"
                     + " now() - interval '1 minute')")) {
            s3Client.putObject(b -> b.bucket("syncservice").key(prefix + chunk),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("12345"));
            insert.setString(1, prefix);
            insert.setString(2, chunk);
            insert.executeUpdate();
            resetOutput();

            assertThat(Main.run(new String[] {"--config", noGrace.toString(), "purge-chunks", "--dry-run"},
                    new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())).as(err()).isZero();
            assertThat(out()).contains("would remove s3 syncservice " + prefix + chunk + " 5 bytes");
            assertThat(s3Client.listObjectsV2(b -> b.bucket("syncservice").prefix(prefix + chunk)).contents())
                    .hasSize(1);
            resetOutput();

            assertThat(Main.run(new String[] {"--config", noGrace.toString(), "purge-chunks"},
                    new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())).as(err()).isZero();
            assertThat(out()).contains("removed 1 chunks, 5 bytes");
            assertThat(s3Client.listObjectsV2(b -> b.bucket("syncservice").prefix(prefix + chunk)).contents())
                    .isEmpty();
        }
    }

    @Test
    void statusReportsDatabaseBrokerBacklogAndCounts() {
        addUser(newEmail());
        resetOutput();

        assertThat(admin("status")).as(out() + err()).isZero();

        assertThat(out()).contains("database: UP", "schema version " + org.syncservice.server.testing.SchemaVersion.CURRENT, "broker: UP", "outbox backlog: ",
                "users: ", "devices: ", "workspaces: ", "items: ");
    }

    @Test
    void statusFailsWhenTheDatabaseOrBrokerIsUnreachable(@TempDir Path other) throws Exception {
        Path unreachable = other.resolve("config.properties");
        Files.writeString(unreachable, "db.url=jdbc:postgresql://127.0.0.1:1/none\ndb.connect-timeout=1s\n"
                + "amqp.port=1\n");

        int code = Main.run(new String[] {"--config", unreachable.toString(), "status"},
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());

        assertThat(code).isEqualTo(1);
        assertThat(out()).contains("database: DOWN", "broker: DOWN");
    }

    @Test
    void aCommandOnAnUnreachableDatabaseFailsWithOneLine(@TempDir Path other) throws Exception {
        Path unreachable = other.resolve("config.properties");
        Files.writeString(unreachable, "db.url=jdbc:postgresql://127.0.0.1:1/none\ndb.connect-timeout=1s\n");

        int code = Main.run(new String[] {"--config", unreachable.toString(), "list-users"},
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());

        assertThat(code).isEqualTo(1);
        assertThat(err().lines()).singleElement().asString().contains("PostgreSQL");
    }
}
