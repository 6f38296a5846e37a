package org.syncservice.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {

    @Test
    void noKeyIsAlsoThePrefixOfAnotherKey() {
        // Lightbend Config reads properties into a tree: a key that is also a prefix of another
        // would be both a value and an object, and one of the two would be lost.
        List<String> keys = Arrays.stream(ConfigKey.values()).map(ConfigKey::key).toList();
        for (String key : keys) {
            assertThat(keys).as("keys under %s", key).noneMatch(other -> other.startsWith(key + "."));
        }
    }

    @Test
    void keysAreUniqueAndLowerCaseWithHyphens() {
        Set<String> keys = Arrays.stream(ConfigKey.values()).map(ConfigKey::key)
                .collect(Collectors.toSet());
        assertThat(keys).hasSize(ConfigKey.values().length);
        assertThat(keys).allMatch(key -> key.matches("[a-z0-9]+(-[a-z0-9]+)*(\\.[a-z0-9]+(-[a-z0-9]+)*)+"));
    }

    @Test
    void everyKeyIsDescribed() {
        assertThat(ConfigKey.values()).allSatisfy(key -> {
            assertThat(key.description()).as(key.key()).isNotEmpty();
            assertThat(key.description()).as(key.key()).allMatch(line -> !line.isBlank());
        });
    }

    @Test
    void passwordsAndKeysAreSecret() {
        assertThat(Arrays.stream(ConfigKey.values()).filter(ConfigKey::secret).map(ConfigKey::key))
                .containsExactlyInAnyOrder("db.password", "db.standby-password", "amqp.password", "amqp.management-password",
                        "storage.s3.secret-key", "storage.swift.password", "storage.swift.temp-url-key",
                        "storage.ftp.password");
    }

    @Test
    void keysOfOneSectionAreListedTogether() {
        // The example config prints one heading per run of keys; a stray key would repeat it.
        List<ConfigSection> runs = Arrays.stream(ConfigKey.values()).map(ConfigKey::section)
                .distinct().toList();
        long changes = 1 + java.util.stream.IntStream.range(1, ConfigKey.values().length)
                .filter(i -> ConfigKey.values()[i].section() != ConfigKey.values()[i - 1].section())
                .count();
        assertThat(changes).isEqualTo(runs.size());
    }

    @Test
    void keysAreFoundByTheirName() {
        assertThat(ConfigKey.forKey("db.pool-size")).contains(ConfigKey.DB_POOL_SIZE);
        assertThat(ConfigKey.forKey("db.pool.size")).isEmpty();
    }
}
