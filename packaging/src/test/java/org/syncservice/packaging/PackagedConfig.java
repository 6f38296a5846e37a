package org.syncservice.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the packages' config.properties must be: config.properties.example with every key commented out. */
final class PackagedConfig {
    private static final Path EXAMPLE = Path.of("..", "config.properties.example");

    private PackagedConfig() {
    }

    static void assertEveryKeyCommentedOut(Path config) throws IOException {
        List<String> example = Files.readAllLines(EXAMPLE);
        List<String> packaged = Files.readAllLines(config);
        assertThat(packaged).hasSameSizeAs(example);
        assertThat(packaged).noneMatch(line -> line.matches("[a-z][a-z0-9.-]*=.*"));
        List<String> keys = example.stream().filter(line -> line.matches("[a-z][a-z0-9.-]*=.*")).toList();
        assertThat(keys).hasSizeGreaterThan(50);
        assertThat(packaged).containsAll(keys.stream().map(line -> "#" + line).toList());
    }
}
