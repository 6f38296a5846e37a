package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliArgumentsTest {
    @TempDir
    Path dir;

    private Command parse(String... arguments) {
        return CliArguments.parse(List.of(arguments), dir);
    }

    private void assertUsage(String messagePart, String... arguments) {
        assertThatThrownBy(() -> parse(arguments)).isInstanceOf(UsageException.class).hasMessageContaining(messagePart);
    }

    @Test
    void syncIsTheDefaultCommandAndTakesEveryOption() throws Exception {
        Files.createDirectory(dir.resolve("Sync"));
        Command.Sync sync = (Command.Sync) parse("--server", "amqp://broker.example:5673/prod", "--email", "a@b.c",
                "--workspace", "Team", "--state", "st", "--device-name", "laptop", "--allow-mass-delete", "--login",
                "Sync");
        assertThat(sync.folder()).isEqualTo(dir.resolve("Sync"));
        assertThat(sync.server()).hasValueSatisfying(server -> {
            assertThat(server.host()).isEqualTo("broker.example");
            assertThat(server.port()).isEqualTo(5673);
            assertThat(server.virtualHost()).isEqualTo("prod");
        });
        assertThat(sync.email()).contains("a@b.c");
        assertThat(sync.workspace()).contains("Team");
        assertThat(sync.stateDirectory()).contains(dir.resolve("st"));
        assertThat(sync.deviceName()).contains("laptop");
        assertThat(sync.allowMassDelete()).isTrue();
        assertThat(sync.login()).isTrue();
        assertThat(parse("sync", "Sync")).isEqualTo(new Command.Sync(dir.resolve("Sync"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, false, Optional.empty(),
                List.of()));
    }

    @Test
    void onlyIsRepeatableAndTakesFoldersInsideTheSyncedFolder() throws Exception {
        Files.createDirectory(dir.resolve("Sync"));
        Command.Sync sync = (Command.Sync) parse("--only", "Photos/2024/", "--only", "Work", "--only", "Work", "Sync");
        assertThat(sync.onlyFolders()).containsExactly("Photos/2024", "Work");
        assertUsage("--only: expected a folder relative to DIR", "--only", "/etc", "Sync");
        assertUsage("--only: expected a folder inside DIR", "--only", "a/../b", "Sync");
        assertUsage("--only", "--only", "", "Sync");
    }

    @Test
    void theLoginOnlyBrokerUserIsAnOption() throws Exception {
        Files.createDirectory(dir.resolve("Sync"));
        Command.Sync sync = (Command.Sync) parse("--server", "amqp://h/sync", "--login-user", "syncservice-login", "Sync");
        assertThat(sync.loginUser()).contains("syncservice-login");
        assertUsage("--login-user", "--login-user", "", "Sync");
    }

    @Test
    void statusTakesAStateDirectoryAndDefaultsToTheWorkingDirectory() {
        assertThat(parse("status")).isEqualTo(new Command.Status(dir, Optional.empty()));
        assertThat(parse("status", "--state", "/var/st", "f")).isEqualTo(
                new Command.Status(dir.resolve("f"), Optional.of(Path.of("/var/st"))));
    }

    @Test
    void helpAndVersionWinOverEverythingElse() {
        assertThat(parse("--help")).isInstanceOf(Command.Help.class);
        assertThat(parse("status", "-h")).isInstanceOf(Command.Help.class);
        assertThat(parse("--bogus", "--version")).isInstanceOf(Command.Version.class);
    }

    @Test
    void wrongCommandLinesSayWhatIsWrong() {
        assertUsage("missing the folder to sync", "--server", "amqp://h:1");
        assertUsage("is not a directory", "nowhere");
        assertUsage("unknown option '--colour'", "--colour", ".");
        assertUsage("option --server needs a value", ".", "--server");
        assertUsage("unexpected argument 'b'", "a", "b");
        assertUsage("unexpected argument 'b'", "status", "a", "b");
        assertUsage("--email: expected an e-mail address", "--email", "nobody", ".");
        assertUsage("--server: expected an amqp:// or amqps:// URL", "--server", "http://h", ".");
        assertUsage("--device-name: expected no control characters", "--device-name", "a\tb", ".");
        assertUsage("needs a non-empty value", "--workspace", " ", ".");
        assertUsage("unknown option '--stat'", "--stat", "x", ".");
    }

    @Test
    void aPasswordOptionIsRefusedWithWhereThePasswordComesFrom() {
        assertUsage("SYNCSERVICE_PASSWORD", "--password", "secret", ".");
        assertUsage("SYNCSERVICE_BROKER_PASSWORD", "--server", "amqp://u:secret@h", ".");
    }
}
