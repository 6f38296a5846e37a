package org.syncservice.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads and validates the service configuration, once, at start-up. Every key is listed in
 * {@link ConfigKey}; a key left out takes its default, an unknown key is an error (a typo must
 * not silently leave a default in force), a key set twice in the file is an error, and the first
 * invalid value stops the load with a {@link ConfigException} that names the key. Values come
 * from the file, then from the environment ({@link EnvironmentVariables}: an environment variable
 * wins over the file; for a secret, either of its two variables replaces both its keys in the
 * file), then secrets named by {@code K-file} keys are read ({@link SecretFiles}).
 * Stateless and thread-safe.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * Loads a file in Java properties syntax with this process's environment over it.
     *
     * @throws ConfigException if the file cannot be read, has an unknown or repeated key or an invalid value
     */
    public static ServiceConfig load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Loads a file in Java properties syntax with the given environment's {@code SYNCSERVICE_*}
     * variables over it.
     *
     * @throws ConfigException if the file cannot be read, has an unknown or repeated key or an invalid
     *                         value, or the environment names an unknown key
     */
    public static ServiceConfig load(Path file, Map<String, String> environment) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(environment, "environment");
        String name = Messages.quoted(file.toString());
        // Checked here because the JDK's own messages for these are hard to read.
        if (!Files.exists(file)) {
            throw new ConfigException("config file " + name + ": not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + name + ": not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException("config file " + name + ": not readable");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("config file " + name + ": " + Messages.oneLine(String.valueOf(e.getMessage())), e);
        }
        Map<String, PropertiesFile.Entry> entries = PropertiesFile.parse(text, name);
        rejectUnknown(entries.keySet(), " in " + name);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        entries.forEach((key, entry) -> {
            values.put(key, entry.value());
            origins.put(key, "line " + entry.line() + " of " + name);
        });
        Map<String, EnvironmentVariables.Setting> settings = EnvironmentVariables.settings(environment);
        // The environment wins over the file for a secret as a whole, its value or its file:
        // SYNCSERVICE_AMQP_PASSWORD_FILE replaces the file's amqp.password.
        settings.keySet().forEach(key -> SecretFiles.bothKeys(key).forEach(values::remove));
        settings.forEach((key, setting) -> {
            values.put(key, setting.value());
            origins.put(key, "environment variable " + setting.variable());
        });
        SecretFiles.resolve(values, origins);
        return new ConfigBinder(values).bind();
    }

    /**
     * Loads the given values, by key, as if they were the lines of a config file. Meant for
     * tests and for running the service embedded in another program.
     *
     * @throws ConfigException if a key is unknown or a value is invalid
     */
    public static ServiceConfig load(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        Map<String, String> copy = new LinkedHashMap<>(values);
        rejectUnknown(copy.keySet(), "");
        Map<String, String> origins = new LinkedHashMap<>();
        copy.keySet().forEach(key -> origins.put(key, "given"));
        SecretFiles.resolve(copy, origins);
        return new ConfigBinder(copy).bind();
    }

    /** Whether the key is one of {@link ConfigKey}'s, or the file key of one of its secrets. */
    static boolean isKnown(String key) {
        if (ConfigKey.forKey(key).isPresent()) {
            return true;
        }
        return key.endsWith(SecretFiles.SUFFIX) && ConfigKey.forKey(
                key.substring(0, key.length() - SecretFiles.SUFFIX.length())).filter(ConfigKey::secret).isPresent();
    }

    private static void rejectUnknown(Set<String> keys, String where) {
        // Sorted, so that with several typos the same one is reported every time.
        for (String key : new TreeSet<>(keys)) {
            if (!isKnown(key)) {
                throw new ConfigException("unknown key '" + Messages.quoted(key) + "'" + where
                        + suggestion(key).map(known -> " (did you mean '" + known + "'?)").orElse(""));
            }
        }
    }

    /** The known key closest to a mistyped one, if it is close enough to be the likely intent. */
    private static Optional<String> suggestion(String unknown) {
        return closest(unknown, Arrays.stream(ConfigKey.values()).map(ConfigKey::key).toList());
    }

    /** The candidate closest to {@code unknown}, if it is close enough to be the likely intent. */
    static Optional<String> closest(String unknown, Collection<String> candidates) {
        return candidates.stream()
                .filter(known -> distance(known, unknown) <= 2)
                .min(Comparator.comparingInt(known -> distance(known, unknown)));
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
