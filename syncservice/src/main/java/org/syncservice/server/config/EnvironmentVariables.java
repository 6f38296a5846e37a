package org.syncservice.server.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The environment variables that override config keys: {@code SYNCSERVICE_} followed by the key
 * upper-cased with its dots and dashes as underscores ({@code db.password} ↔
 * {@code SYNCSERVICE_DB_PASSWORD}, {@code db.password-file} ↔ {@code SYNCSERVICE_DB_PASSWORD_FILE}).
 * A variable wins over the file. A variable under a key's prefix that names no key
 * ({@code SYNCSERVICE_DB_PASWORD}) is refused like an unknown key in the file; other
 * {@code SYNCSERVICE_*} variables (the scripts' own) are none of the config's business.
 * Stateless and thread-safe.
 */
final class EnvironmentVariables {
    static final String PREFIX = "SYNCSERVICE_";

    private EnvironmentVariables() {
    }

    static String forKey(String key) {
        return PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The keys the environment sets, with their values, by variable name order.
     *
     * @throws ConfigException for a variable under a key's prefix that names no key
     */
    static Map<String, Setting> settings(Map<String, String> environment) {
        Map<String, String> keysByVariable = keysByVariable();
        Set<String> prefixes = Arrays.stream(ConfigKey.values())
                .map(key -> PREFIX + key.key().substring(0, key.key().indexOf('.')).toUpperCase(Locale.ROOT) + "_")
                .collect(Collectors.toSet());
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String key = keysByVariable.get(variable.getKey());
            if (key != null) {
                settings.put(key, new Setting(variable.getKey(), variable.getValue()));
            } else if (prefixes.stream().anyMatch(variable.getKey()::startsWith)) {
                throw new ConfigException("environment variable " + variable.getKey() + " names no key"
                        + suggestion(variable.getKey(), keysByVariable).map(known -> " (did you mean " + known + "?)")
                        .orElse(""));
            }
        }
        return settings;
    }

    /** A key's value from the environment and the variable that gave it. */
    record Setting(String variable, String value) {
    }

    /** Every key and secret file key by its variable. */
    static Map<String, String> keysByVariable() {
        return Arrays.stream(ConfigKey.values())
                .flatMap(key -> Stream.concat(Stream.of(key.key()), key.fileKey().stream()))
                .collect(Collectors.toMap(EnvironmentVariables::forKey, key -> key));
    }

    private static Optional<String> suggestion(String unknown, Map<String, String> keysByVariable) {
        return ConfigLoader.closest(unknown, keysByVariable.keySet());
    }
}
