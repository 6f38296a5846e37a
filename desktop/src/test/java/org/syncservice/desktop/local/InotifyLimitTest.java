package org.syncservice.desktop.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InotifyLimitTest {

    private static final Path LIMIT = Path.of("/proc/sys/fs/inotify/max_user_watches");

    @Test
    void theWatchLimitHintNamesTheLimitInForce() throws IOException {
        assumeThat(Files.exists(LIMIT)).as("a Linux kernel with inotify").isTrue();
        String limit = Files.readAllLines(LIMIT).get(0).trim();

        String hint = InotifyLimit.hint(new IOException("User limit of inotify watches reached"));

        assertThat(hint).contains("fs.inotify.max_user_watches = " + limit + ")");
    }

    @Test
    void otherFailuresGetNoHint() {
        assertThat(InotifyLimit.hint(new IOException("Permission denied"))).isEmpty();
    }
}
