package org.syncservice.server.config;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * How the text of one key becomes a typed value, and the one phrase that tells an operator what
 * is allowed. The same phrase is used in error messages and in the example config, so the two
 * cannot drift apart. Immutable and thread-safe.
 */
final class ValueType<T> {

    /** Thrown by a parser for a value it does not accept; the detail is optional. */
    static final class Invalid extends Exception {
        Invalid(String detail) {
            super(detail, null, false, false);
        }
    }

    @FunctionalInterface
    interface Parser<T> {
        T parse(String text) throws Invalid;
    }

    private static final Pattern AMQP_NAME = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    private static final Pattern DURATION_WITH_UNIT = Pattern.compile(".*[A-Za-z]");

    private final String expectation;
    private final boolean secret;
    private final Parser<T> parser;

    /** @param secret whether values are secrets: taken verbatim and never shown */
    private ValueType(String expectation, boolean secret, Parser<T> parser) {
        this.expectation = expectation;
        this.secret = secret;
        this.parser = parser;
    }

    boolean secret() {
        return secret;
    }

    /** What a valid value looks like, e.g. "a whole number from 1 to 200"; null for free text. */
    String expectation() {
        return expectation;
    }

    T parse(String raw) throws Invalid {
        // A stray space after a number or host name is an invisible mistake, so it is dropped;
        // secrets are taken exactly as written because a space may be part of a password.
        return parser.parse(secret ? raw : raw.strip());
    }

    static ValueType<String> text() {
        return new ValueType<>(null, false, text -> text);
    }

    static ValueType<String> nonEmptyText() {
        return new ValueType<>("a non-empty value", false, text -> {
            if (text.isEmpty()) {
                throw new Invalid(null);
            }
            return text;
        });
    }

    static ValueType<String> matching(String regex, String expectation) {
        Pattern pattern = Pattern.compile(regex);
        return new ValueType<>(expectation, false, text -> {
            if (!pattern.matcher(text).matches()) {
                throw new Invalid(null);
            }
            return text;
        });
    }

    static ValueType<Secret> secret(boolean required) {
        String expectation = (required ? "non-empty " : "") + "text without control characters";
        return new ValueType<>(expectation, true, text -> {
            // A control character in a password is almost always a copy-and-paste accident.
            if ((required && text.isEmpty()) || text.chars().anyMatch(Character::isISOControl)) {
                throw new Invalid(null);
            }
            return Secret.of(text);
        });
    }

    /**
     * Empty for none, or the path of a readable regular file. Only the path is kept: the file may
     * hold a secret, read by the component that needs it, and its content never reaches a message.
     */
    static ValueType<java.util.Optional<java.nio.file.Path>> optionalReadableFile() {
        return new ValueType<>("empty, or the path of a readable file", false, text -> {
            if (text.isEmpty()) {
                return java.util.Optional.empty();
            }
            java.nio.file.Path path;
            try {
                path = java.nio.file.Path.of(text);
            } catch (java.nio.file.InvalidPathException e) {
                throw new Invalid("not a valid path");
            }
            if (!java.nio.file.Files.isRegularFile(path) || !java.nio.file.Files.isReadable(path)) {
                throw new Invalid("no readable file there");
            }
            return java.util.Optional.of(path);
        });
    }

    static ValueType<String> postgresJdbcUrl() {
        return new ValueType<>("a JDBC URL starting with jdbc:postgresql:", false, text -> {
            if (!text.startsWith("jdbc:postgresql:")) {
                throw new Invalid(null);
            }
            return text;
        });
    }

    /** Empty for none, or a PostgreSQL JDBC URL. */
    static ValueType<java.util.Optional<String>> optionalPostgresJdbcUrl() {
        ValueType<String> url = postgresJdbcUrl();
        return new ValueType<>("empty, or " + url.expectation(), false, text -> text.isEmpty()
                ? java.util.Optional.empty() : java.util.Optional.of(url.parse(text)));
    }

    /** Empty for none, or an http:// or https:// URL with a host. */
    static ValueType<java.util.Optional<java.net.URI>> optionalHttpUrl() {
        ValueType<String> url = httpUrl();
        return new ValueType<>("empty, or " + url.expectation(), false, text -> text.isEmpty()
                ? java.util.Optional.empty() : java.util.Optional.of(java.net.URI.create(url.parse(text))));
    }

    static ValueType<String> httpUrl() {
        return new ValueType<>("an http:// or https:// URL with a host", false, text -> {
            try {
                java.net.URI uri = new java.net.URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw new Invalid(null);
                }
                return text;
            } catch (java.net.URISyntaxException e) {
                throw new Invalid(null);
            }
        });
    }

    static ValueType<String> amqpName() {
        return new ValueType<>(
                "a name of 1 to 200 characters from A-Z a-z 0-9 . _ : - not starting with 'amq.'", false, text -> {
                    // The broker reserves the amq. prefix and refuses to declare such names.
                    if (!AMQP_NAME.matcher(text).matches() || text.startsWith("amq.")) {
                        throw new Invalid(null);
                    }
                    return text;
                });
    }

    static ValueType<Integer> integer(int min, int max) {
        return new ValueType<>(rangePhrase(min, max, Integer.MAX_VALUE), false,
                text -> (int) parseLong(text, min, max));
    }

    /** {@code auto} (empty: the service chooses) or a whole number from {@code min} to {@code max}. */
    static ValueType<OptionalInt> integerOrAuto(int min, int max) {
        return new ValueType<>("auto, or " + rangePhrase(min, max, Integer.MAX_VALUE), false,
                text -> "auto".equalsIgnoreCase(text)
                        ? OptionalInt.empty()
                        : OptionalInt.of((int) parseLong(text, min, max)));
    }

    static ValueType<Long> longInteger(long min, long max) {
        return new ValueType<>(rangePhrase(min, max, Long.MAX_VALUE), false,
                text -> parseLong(text, min, max));
    }

    static ValueType<Boolean> bool() {
        // Only true and false: Lightbend's yes/no/on/off would make one file read differently
        // depending on which parser looks at it.
        return new ValueType<>("true or false", false, text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new Invalid(null);
        });
    }

    static ValueType<Duration> duration(Duration min, Duration max) {
        String phrase = "a duration with a unit (ms, s, m, h, d) from "
                + format(min) + " to " + format(max);
        return new ValueType<>(phrase, false, text -> {
            // A bare number would be read as milliseconds, so "30" would silently mean 30ms.
            if (!DURATION_WITH_UNIT.matcher(text).matches()) {
                throw new Invalid(null);
            }
            Duration duration;
            try {
                duration = ConfigFactory.parseMap(Map.of("value", text)).getDuration("value");
            } catch (com.typesafe.config.ConfigException e) {
                throw new Invalid(null);
            }
            if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
                throw new Invalid(null);
            }
            return duration;
        });
    }

    /** One of a fixed set of names, matched without regard to case. */
    static <E> ValueType<E> choice(Map<String, E> choices) {
        String phrase = "one of " + String.join(", ", choices.keySet());
        Map<String, E> byName = choices.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                entry -> entry.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
        return new ValueType<>(phrase, false, text -> {
            E value = byName.get(text.toLowerCase(Locale.ROOT));
            if (value == null) {
                throw new Invalid(null);
            }
            return value;
        });
    }

    static ValueType<Pattern> regex() {
        return new ValueType<>("a Java regular expression", false, text -> {
            try {
                return Pattern.compile(text);
            } catch (PatternSyntaxException e) {
                // getMessage() spans several lines; the description and index fit on one.
                throw new Invalid(e.getDescription() + " near index " + e.getIndex());
            }
        });
    }

    private static long parseLong(String text, long min, long max) throws Invalid {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Invalid(null);
        }
        if (value < min || value > max) {
            throw new Invalid(null);
        }
        return value;
    }

    private static String rangePhrase(long min, long max, long typeMax) {
        return max == typeMax
                ? "a whole number of at least " + min
                : "a whole number from " + min + " to " + max;
    }

    /** The shortest exact spelling of a duration in the units the config accepts. */
    static String format(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        long millis = duration.toMillis();
        if (millis != 0 && millis % 86_400_000L == 0) {
            return millis / 86_400_000L + "d";
        }
        if (millis != 0 && millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis != 0 && millis % 60_000L == 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1_000L == 0) {
            return millis / 1_000L + "s";
        }
        return millis + "ms";
    }
}
