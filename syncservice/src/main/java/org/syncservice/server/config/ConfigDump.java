package org.syncservice.server.config;

/**
 * Renders the commented example config printed by {@code --dump-config}: every key of
 * {@link ConfigKey} with its description and default, grouped by {@link ConfigSection}. The
 * repository's {@code config.properties.example} is exactly this text, and a test keeps it so.
 * Stateless and thread-safe.
 */
public final class ConfigDump {
    private static final String RULE = "# " + "-".repeat(76);

    private static final String HEADER = """
            # syncservice configuration (Java properties syntax).
            #
            # Every key is listed with its default. A key left out takes its default; an unknown
            # key, or a key set twice, stops start-up, so a typo cannot go unnoticed. Trailing
            # spaces are ignored except in secrets. Durations need a unit: 500ms, 30s, 5m, 2h, 7d.
            #
            # Environment: every key can be set by an environment variable instead, named
            # SYNCSERVICE_ and the key upper-cased with dots and dashes as underscores
            # (db.password: SYNCSERVICE_DB_PASSWORD). A variable wins over this file; for a
            # secret, either of its variables (below) replaces both its keys here.
            #
            # Secrets: each secret key K also has a key K-file (environment: K's variable and
            # _FILE) naming a file that holds the value, such as a systemd credential
            # (LoadCredential=, then SYNCSERVICE_DB_PASSWORD_FILE=%d/db-password) or a container
            # secret (/run/secrets/...). One line break at the end of the file is ignored.
            # Setting both K and K-file in this file, or both their variables, is an error.
            #
            # Run with: java -jar syncservice.jar --config config.properties
            # Printed by: java -jar syncservice.jar --dump-config
            """;

    private ConfigDump() {
    }

    /** The whole example config, ending in a line break. */
    public static String render() {
        StringBuilder out = new StringBuilder(HEADER);
        ConfigSection section = null;
        for (ConfigKey key : ConfigKey.values()) {
            if (key.section() != section) {
                section = key.section();
                out.append('\n').append(RULE).append('\n')
                        .append("# ").append(section.heading()).append('\n')
                        .append(RULE).append('\n');
            }
            out.append('\n');
            for (String line : key.description()) {
                out.append("# ").append(line).append('\n');
            }
            key.expectation().ifPresent(expectation ->
                    out.append("# Expected: ").append(expectation).append('\n'));
            if (key.secret()) {
                out.append("# Secret: never logged nor shown in error messages. Or ").append(key.fileKey().orElseThrow())
                        .append("=FILE.\n");
            }
            out.append("# Environment: ").append(key.environmentVariable()).append('\n');
            out.append(key.key()).append('=').append(escape(key.defaultValue())).append('\n');
        }
        return out.toString();
    }

    /** Escapes a value so that the properties parser reads back exactly the same text. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                // The parser drops leading spaces of a value unless they are escaped.
                case ' ' -> out.append(i == 0 ? "\\ " : " ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
