package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
    @TempDir
    Path dir;

    private CliEnvironment environment(Map<String, String> variables) {
        return new TestTerminal(dir.resolve("home"), variables, "").environment;
    }

    @Test
    void theDefaultLivesUnderXdgStateHomeNamedByTheFoldersPath() {
        Path folder = dir.resolve("Sync");
        Path state = StateDirectory.defaultFor(folder, environment(Map.of("XDG_STATE_HOME", "/var/xdg")));
        assertThat(state.getParent()).isEqualTo(Path.of("/var/xdg/syncservice"));
        assertThat(state.getFileName().toString()).matches("[0-9a-f]{32}");
    }

    @Test
    void withoutXdgStateHomeTheDefaultIsUnderTheHomesLocalState() {
        Path state = StateDirectory.defaultFor(dir.resolve("Sync"), environment(Map.of()));
        assertThat(state.getParent()).isEqualTo(dir.resolve("home/.local/state/syncservice"));
        assertThat(StateDirectory.defaultFor(dir.resolve("Sync"), environment(Map.of("XDG_STATE_HOME", "rel"))))
                .isEqualTo(state);
    }

    @Test
    void eachFolderHasItsOwnDefaultAndEverySpellingOfOneFolderTheSame() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("Sync"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), folder);
        CliEnvironment environment = environment(Map.of());
        Path state = StateDirectory.defaultFor(folder, environment);
        assertThat(StateDirectory.defaultFor(dir.resolve("Sync/../Sync"), environment)).isEqualTo(state);
        assertThat(StateDirectory.defaultFor(link, environment)).isEqualTo(state);
        assertThat(StateDirectory.defaultFor(dir.resolve("Other"), environment)).isNotEqualTo(state);
    }

    @Test
    void itIsCreatedReadableByItsOwnerOnly() throws Exception {
        Path state = StateDirectory.create(dir.resolve("a/b/state"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    }

    @Test
    void anExistingOneIsMadeOwnerOnly() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        StateDirectory.create(state);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    }

    @Test
    void aStateDirectoryInsideTheSyncedFolderIsRefused() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("Sync"));
        assertThatThrownBy(() -> StateDirectory.requireOutside(folder.resolve(".state/x"), folder))
                .isInstanceOf(UsageException.class).hasMessageContaining("inside the synced folder");
        assertThatThrownBy(() -> StateDirectory.requireOutside(folder, folder)).isInstanceOf(UsageException.class);
        Path link = Files.createSymbolicLink(dir.resolve("link"), folder);
        assertThatThrownBy(() -> StateDirectory.requireOutside(link.resolve("st"), folder))
                .isInstanceOf(UsageException.class);
        StateDirectory.requireOutside(dir.resolve("Sync-state"), folder);
    }
}
