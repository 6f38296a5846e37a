package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and one-line errors, for everything that fails before the service is reached. */
class DesktopCliTest {
    @TempDir
    Path dir;

    private TestTerminal terminal;

    private int run(String... arguments) {
        terminal = new TestTerminal(dir, Map.of(), "");
        EngineLauncher noEngine = (settings, client, progress) -> {
            throw new AssertionError("no engine in these tests");
        };
        SyncCommand sync = new SyncCommand(terminal.environment, noEngine, stop -> stop.run(), state -> { });
        return new DesktopCli(terminal.environment, sync).run(List.of(arguments));
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
}
