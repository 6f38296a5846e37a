package org.syncservice.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Secrets read from files: every secret key {@code K} has a key {@code K-file} naming a file that
 * holds the value (a systemd credential in {@code $CREDENTIALS_DIRECTORY}, a container secret in
 * {@code /run/secrets}), so the secret need not be written in the config file or the environment.
 * One line break at the end of the file is not part of the value. Setting both {@code K} and
 * {@code K-file} in one place (both in the file, or both in the environment) is refused, naming
 * both and where each was set. Stateless and thread-safe.
 */
final class SecretFiles {
    static final String SUFFIX = "-file";

    private SecretFiles() {
    }

    /** For a secret key or its file key, both of them; for another key, itself. */
    static List<String> bothKeys(String key) {
        String base = key.endsWith(SUFFIX) ? key.substring(0, key.length() - SUFFIX.length()) : key;
        return ConfigKey.forKey(base).flatMap(ConfigKey::fileKey).map(fileKey -> List.of(base, fileKey))
                .orElse(List.of(key));
    }

    /**
     * Replaces each {@code K-file} in {@code values} by {@code K} with the file's content.
     *
     * @param origins where each value was set, by key, for messages
     * @throws ConfigException for a key set beside its file key, or a file that cannot be read
     */
    static void resolve(Map<String, String> values, Map<String, String> origins) {
        for (ConfigKey key : ConfigKey.values()) {
            String fileKey = key.fileKey().orElse(null);
            if (fileKey == null || !values.containsKey(fileKey)) {
                continue;
            }
            if (values.containsKey(key.key())) {
                throw new ConfigException(key.key() + " and " + fileKey + " are both set (" + origins.get(key.key())
                        + "; " + origins.get(fileKey) + "): set one of them");
            }
            String path = values.remove(fileKey);
            values.put(key.key(), read(fileKey, path));
            origins.put(key.key(), "the file " + path + " (" + fileKey + ")");
        }
    }

    private static String read(String fileKey, String path) {
        if (path.isBlank()) {
            throw new ConfigException(fileKey + ": expected the path of a file holding the secret, got ''");
        }
        String text;
        try {
            text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(fileKey + ": cannot read '" + Messages.quoted(path) + "': "
                    + Messages.oneLine(e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                    : " " + e.getMessage())), e);
        }
        // Written by `echo` or an editor, the file ends in a line break that is not part of the secret.
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
