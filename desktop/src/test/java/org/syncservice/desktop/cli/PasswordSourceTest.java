package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswordSourceTest {
    private static final Path HOME = Path.of("/home/test");

    @Test
    void theEnvironmentVariableComesFirst() {
        TestTerminal terminal = new TestTerminal(HOME, Map.of(PasswordSource.VARIABLE, "from-env"), "from-stdin\n");
        assertThat(PasswordSource.read(terminal.environment, "a@b.c")).isEqualTo("from-env");
    }

    @Test
    void withoutItAndWithoutATerminalOneLineOfStandardInputIsThePassword() {
        TestTerminal terminal = new TestTerminal(HOME, Map.of(), "pass word \nsecond line\n");
        assertThat(PasswordSource.read(terminal.environment, "a@b.c")).isEqualTo("pass word ");
    }

    @Test
    void anEmptyVariableDoesNotCount() {
        TestTerminal terminal = new TestTerminal(HOME, Map.of(PasswordSource.VARIABLE, ""), "typed\n");
        assertThat(PasswordSource.read(terminal.environment, "a@b.c")).isEqualTo("typed");
    }

    @Test
    void noPasswordAtAllIsAUsageError() {
        TestTerminal terminal = new TestTerminal(HOME, Map.of(), "");
        assertThatThrownBy(() -> PasswordSource.read(terminal.environment, "a@b.c"))
                .isInstanceOf(UsageException.class).hasMessageContaining(PasswordSource.VARIABLE);
    }
}
