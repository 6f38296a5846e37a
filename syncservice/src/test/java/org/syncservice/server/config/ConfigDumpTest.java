package org.syncservice.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDumpTest {

    @TempDir
    Path dir;

    @Test
    void theExampleConfigInTheRepositoryIsExactlyTheDump() throws IOException {
        String root = System.getProperty("syncservice.projectRoot");
        assertThat(root).as("system property syncservice.projectRoot (set by surefire)").isNotNull();
        Path example = Path.of(root, "config.properties.example");

        assertThat(Files.readString(example))
                .as("%s is stale; regenerate it with: java -jar target/syncservice.jar --dump-config > config.properties.example",
                        example)
                .isEqualTo(ConfigDump.render());
    }

    @Test
    void loadingTheDumpGivesTheSameConfigAsLoadingAnEmptyFile() throws IOException {
        Path dump = Files.writeString(dir.resolve("dump.properties"), ConfigDump.render());
        Path empty = Files.writeString(dir.resolve("empty.properties"), "");

        assertThat(ConfigLoader.load(dump))
                .usingRecursiveComparison()
                .withEqualsForType((a, b) -> a.pattern().equals(b.pattern()), Pattern.class)
                .isEqualTo(ConfigLoader.load(empty));
    }

    @Test
    void everyKeyAppearsOnceWithItsDefault() {
        String dump = ConfigDump.render();

        for (ConfigKey key : ConfigKey.values()) {
            assertThat(dump).containsOnlyOnce("\n" + key.key() + "=");
        }
    }

    @Test
    void valuesAreEscapedSoTheParserReadsThemBack() {
        assertThat(ConfigDump.escape(" a\\b")).isEqualTo("\\ a\\\\b");
    }
}
