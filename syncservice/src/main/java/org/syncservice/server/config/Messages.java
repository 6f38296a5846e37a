package org.syncservice.server.config;

/** Builds the one-line error messages, the only place where a configured value is quoted. */
final class Messages {
    private static final int MAX_QUOTED = 80;

    private Messages() {
    }

    /** "key: expected WHAT (DETAIL), got 'VALUE'", leaving out the value of a secret. */
    static String invalid(ConfigKey key, String value, String detail) {
        StringBuilder message = new StringBuilder(key.key()).append(": expected ")
                .append(key.expectation().orElse("a valid value"));
        if (detail != null) {
            message.append(" (").append(oneLine(detail)).append(')');
        }
        if (!key.secret()) {
            message.append(", got '").append(quoted(value)).append('\'');
        }
        return message.toString();
    }

    /** Text from the file made safe for a one-line message: no line breaks, bounded length. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() <= MAX_QUOTED; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.length() <= MAX_QUOTED ? out.toString() : out.substring(0, MAX_QUOTED) + "...";
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
