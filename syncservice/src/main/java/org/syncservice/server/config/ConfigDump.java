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
            # key stops start-up, so a typo cannot go unnoticed. Trailing spaces are ignored
            # except in secrets. Durations need a unit: 500ms, 30s, 5m, 2h, 7d.
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
                out.append("# Secret: never logged nor shown in error messages.\n");
            }
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
