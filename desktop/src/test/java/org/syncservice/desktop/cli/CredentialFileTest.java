package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialFileTest {
    private static final DeviceCredential CREDENTIAL = new DeviceCredential("amqp://h:5672", "a@b.c", "user-1",
            "device-1", "laptop", "tok-secret", "ws-1", "default", "");

    @TempDir
    Path state;

    @Test
    void aStoredCredentialIsReadBack() {
        CredentialFile file = new CredentialFile(state);
        assertThat(file.read()).isEmpty();
        file.write(CREDENTIAL);
        assertThat(new CredentialFile(state).read()).contains(CREDENTIAL);
    }

    @Test
    void theLoginOnlyUserIsStoredWhenThereIsOneAndAFileWithoutItReadsAsNone() throws Exception {
        CredentialFile file = new CredentialFile(state);
        file.write(CREDENTIAL.withLoginUser("syncservice-login"));
        assertThat(file.read()).contains(CREDENTIAL.withLoginUser("syncservice-login"));
        file.write(CREDENTIAL);
        assertThat(Files.readString(file.path())).doesNotContain("login_user");
        assertThat(file.read()).contains(CREDENTIAL);
    }

    @Test
    void theFileIsReadableByItsOwnerOnly() throws Exception {
        CredentialFile file = new CredentialFile(state);
        file.write(CREDENTIAL);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        file.write(CREDENTIAL);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(state.resolve(CredentialFile.NAME + ".new")).doesNotExist();
    }

    @Test
    void anIncompleteFileIsAFailureThatSaysWhatToDo() throws Exception {
        Files.writeString(state.resolve(CredentialFile.NAME), "server=amqp://h\n");
        assertThatThrownBy(() -> new CredentialFile(state).read()).isInstanceOf(CliFailure.class)
                .hasMessageContaining("--login");
    }

    @Test
    void theTokenNeverShowsInItsText() {
        assertThat(CREDENTIAL.toString()).contains("device-1").doesNotContain("tok-secret");
    }
}
