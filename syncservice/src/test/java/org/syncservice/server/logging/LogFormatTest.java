package org.syncservice.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.server.testing.JarProcess;
import org.syncservice.server.testing.TestDatabase;
import org.syncservice.server.storage.s3.TestS3Server;

/** log.format and log.level as the jar applies them to its own logging (a process of its own). */
class LogFormatTest {
    @TempDir
    Path dir;

    private JarProcess.Result addUser(Map<String, String> environment, String extraConfig) throws Exception {
        try (TestDatabase database = TestDatabase.create(); TestS3Server s3 = TestS3Server.start()) {
            Path config = dir.resolve("config.properties");
            Files.writeString(config, "db.url=" + database.url() + "\ndb.user=" + TestDatabase.user()
                    + "\nauth.password-hash-iterations=10000\nauth.min-password-length=1\nstorage.s3.endpoint="
                    + s3.endpoint() + "\nstorage.s3.access-key=" + TestS3Server.ACCESS_KEY
                    + "\nstorage.s3.secret-key=" + TestS3Server.SECRET_KEY + "\n" + extraConfig);
            Map<String, String> env = new java.util.HashMap<>(environment);
            env.put("SYNCSERVICE_PASSWORD", "pw");
            return JarProcess.run(dir, env, "--config", config.toString(), "add-user", "--email",
                    UUID.randomUUID() + "@example.org", "--name", "Ann", "--quota", "1G");
        }
    }

    @Test
    void withJsonEveryLogLineAfterTheConfigurationIsOneJsonObject() throws Exception {
        JarProcess.Result result = addUser(Map.of("SYNCSERVICE_LOG_FORMAT", "json"), "");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> lines = result.stderr().lines().toList();
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"level\":\"INFO\"", "\"message\":\"created user"));
        assertThat(result.stdout()).startsWith("created user ");
    }

    @Test
    void textIsTheDefault() throws Exception {
        JarProcess.Result result = addUser(Map.of(), "");

        assertThat(result.stderr()).doesNotContain("\"level\"").contains(" INFO ");
    }

    @Test
    void theLevelIsAppliedFromTheConfigurationFile() throws Exception {
        JarProcess.Result result = addUser(Map.of(), "log.level=warn\n");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).doesNotContain(" INFO ");
    }
}
