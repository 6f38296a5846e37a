package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.desktop.state.StatusReport;

/** Exit codes and one-line errors, for everything that fails before the service is reached. */
class DesktopCliTest {
    @TempDir
    Path dir;

    private static final StatusReport IDLE = new StatusReport("idle", Optional.empty(), List.of(), List.of(),
            List.of(), List.of(), Optional.empty(), Instant.parse("2026-12-03T14:00:00Z"));

    private TestTerminal terminal;
    private StatusCommand.Source statusSource = state -> IDLE;

    private int run(String... arguments) {
        terminal = new TestTerminal(dir, Map.of(), "");
        EngineLauncher noEngine = (settings, client, progress) -> {
            throw new AssertionError("no engine in these tests");
        };
        SyncCommand sync = new SyncCommand(terminal.environment, noEngine, new StopAtOnce(), state -> { });
        StatusCommand status = new StatusCommand(terminal.environment, statusSource);
        return new DesktopCli(terminal.environment, sync, status).run(List.of(arguments));
    }

    @Test
    void helpAndVersionExitZero() {
        assertThat(run("--help")).isZero();
        assertThat(terminal.out()).startsWith("Usage: sync-folder.sh").contains("--allow-mass-delete", "--login");
        assertThat(run("--version")).isZero();
        assertThat(terminal.out()).startsWith("syncservice-desktop ");
    }

    @Test
    void aWrongCommandLineIsOneLineAndExitTwo() {
        assertThat(run("--colour", ".")).isEqualTo(2);
        assertThat(terminal.err()).isEqualTo("sync-folder: unknown option '--colour' (see --help)\n");
    }

    @Test
    void theFirstRunNeedsAServer() throws Exception {
        Files.createDirectory(dir.resolve("Sync"));
        assertThat(run("--state", dir.resolve("state").toString(), dir.resolve("Sync").toString())).isEqualTo(2);
        assertThat(terminal.err()).isEqualTo("sync-folder: missing --server (needed to log in the first time) (see --help)\n");
    }

    @Test
    void aStateDirectoryInsideTheFolderIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("Sync"));
        assertThat(run("--server", "amqp://127.0.0.1:1", "--email", "a@b.c", "--state",
                folder.resolve(".state").toString(), folder.toString())).isEqualTo(2);
        assertThat(terminal.err()).contains("inside the synced folder").doesNotContain("\n\t");
        assertThat(folder.resolve(".state")).doesNotExist();
    }

    @Test
    void anUnreachableServiceIsOneLineAndExitOne() throws Exception {
        Files.createDirectory(dir.resolve("Sync"));
        assertThat(run("--server", "amqp://127.0.0.1:1", "--email", "a@b.c", "--state",
                dir.resolve("state").toString(), dir.resolve("Sync").toString())).isEqualTo(1);
        assertThat(terminal.err()).startsWith("sync-folder: cannot reach the service at amqp://127.0.0.1:1: ")
                .hasLineCount(1);
    }

    @Test
    void statusWithoutStateIsOneLineAndExitOne() {
        assertThat(run("status", "--state", dir.resolve("none").toString(), dir.toString())).isEqualTo(1);
        assertThat(terminal.err()).isEqualTo("sync-folder: no sync state for " + StateDirectory.canonical(dir)
                + " (looked in " + dir.resolve("none") + ")\n");
    }

    @Test
    void statusPrintsTheRecordedStateOfTheFolder() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.createFile(state.resolve(StateDirectory.DATABASE));
        assertThat(run("status", "--state", state.toString(), dir.toString())).isZero();
        assertThat(terminal.out()).isEqualTo(StatusText.format(StateDirectory.canonical(dir), IDLE));
    }

    @Test
    void statusThatCannotReadTheStateIsOneLineAndExitOne() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.createFile(state.resolve(StateDirectory.DATABASE));
        statusSource = directory -> {
            throw new IOException("database disk image is malformed");
        };
        assertThat(run("status", "--state", state.toString(), dir.toString())).isEqualTo(1);
        assertThat(terminal.err()).isEqualTo("sync-folder: cannot read the state in " + state
                + ": database disk image is malformed\n");
    }
}
