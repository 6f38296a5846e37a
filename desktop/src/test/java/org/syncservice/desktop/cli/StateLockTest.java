package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateLockTest {
    @TempDir
    Path state;

    @Test
    void aSecondClientOfTheSameFolderIsRefusedWhileTheFirstRuns() {
        try (StateLock first = StateLock.acquire(state)) {
            assertThatThrownBy(() -> StateLock.acquire(state)).isInstanceOf(CliFailure.class)
                    .hasMessageContaining("another client is syncing this folder already");
        }
        StateLock.acquire(state).close();
    }

    @Test
    void closingTwiceIsHarmless() {
        StateLock lock = StateLock.acquire(state);
        lock.close();
        lock.close();
    }
}
