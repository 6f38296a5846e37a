package org.syncservice.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads and validates the service configuration, once, at start-up. Every key is listed in
 * {@link ConfigKey}; a key left out takes its default, an unknown key is an error (a typo must
 * not silently leave a default in force), and the first invalid value stops the load with a
 * {@link ConfigException} that names the key. Stateless and thread-safe.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * Loads a file in Java properties syntax.
     *
     * @throws ConfigException if the file cannot be read, has an unknown key or an invalid value
     */
    public static ServiceConfig load(Path file) {
        Objects.requireNonNull(file, "file");
        String name = Messages.quoted(file.toString());
        // Checked here because Lightbend's own message for a missing file is hard to read.
        if (!Files.exists(file)) {
            throw new ConfigException("config file " + name + ": not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + name + ": not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException("config file " + name + ": not readable");
        }
        rejectUnknown(keysAsWritten(file, name), " in " + name);
        Config parsed;
        try {
            parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.PROPERTIES)
                    .setAllowMissing(false));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("config file " + name + ": " + Messages.oneLine(e.getMessage()), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : parsed.entrySet()) {
            // The properties syntax yields only strings; String.valueOf keeps this safe anyway.
            values.put(entry.getKey(), String.valueOf(entry.getValue().unwrapped()));
        }
        return new ConfigBinder(values).bind();
    }

    /**
     * The keys exactly as the file writes them. Lightbend's tree drops a value whose key is also
     * the prefix of another key ({@code storage.s3=x} beside {@code storage.s3.bucket=...}),
     * so its tree alone cannot reveal every unknown key.
     */
    private static Set<String> keysAsWritten(Path file, String name) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException is how Properties reports a malformed unicode escape.
            throw new ConfigException("config file " + name + ": " + Messages.oneLine(e.getMessage()), e);
        }
        return properties.stringPropertyNames();
    }

    /**
     * Loads the given values, by key, as if they were the lines of a config file. Meant for
     * tests and for running the service embedded in another program.
     *
     * @throws ConfigException if a key is unknown or a value is invalid
     */
    public static ServiceConfig load(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        Map<String, String> copy = Map.copyOf(values);
        rejectUnknown(copy.keySet(), "");
        return new ConfigBinder(copy).bind();
    }

    private static void rejectUnknown(Set<String> keys, String where) {
        // Sorted, so that with several typos the same one is reported every time.
        for (String key : new TreeSet<>(keys)) {
            if (ConfigKey.forKey(key).isEmpty()) {
                throw new ConfigException("unknown key '" + Messages.quoted(key) + "'" + where
                        + suggestion(key).map(known -> " (did you mean '" + known + "'?)").orElse(""));
            }
        }
    }

    /** The known key closest to a mistyped one, if it is close enough to be the likely intent. */
    private static Optional<String> suggestion(String unknown) {
        return Arrays.stream(ConfigKey.values())
                .map(ConfigKey::key)
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
