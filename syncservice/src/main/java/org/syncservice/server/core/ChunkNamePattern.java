package org.syncservice.server.core;

import java.util.regex.Pattern;

/**
 * The configured chunk name pattern, matched once per chunk of every commit. A pattern of the
 * usual shape, one bracketed class of ASCII characters and ranges repeated {@code {min,max}} times
 * (the default {@code [A-Za-z0-9_-]{8,128}}), is matched by a table lookup per character, which
 * costs a fraction of the regular expression's union of ranges; any other pattern by the regular
 * expression itself. Both answer alike for every name. Thread-safe (immutable).
 */
public final class ChunkNamePattern {
    private static final Pattern SIMPLE_SHAPE = Pattern.compile("\\[([^\\]\\\\\\[^&]+)\\]\\{(\\d{1,4}),(\\d{1,4})\\}");

    private final Pattern pattern;
    /** Which ASCII characters the class takes; null when the pattern is not of the simple shape. */
    private final boolean[] allowed;
    private final int minLength;
    private final int maxLength;

    private ChunkNamePattern(Pattern pattern, boolean[] allowed, int minLength, int maxLength) {
        this.pattern = pattern;
        this.allowed = allowed;
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    public static ChunkNamePattern of(Pattern pattern) {
        var shape = SIMPLE_SHAPE.matcher(pattern.pattern());
        if (pattern.flags() != 0 || !shape.matches()) {
            return new ChunkNamePattern(pattern, null, 0, 0);
        }
        boolean[] allowed = characterClass(shape.group(1));
        int min = Integer.parseInt(shape.group(2));
        int max = Integer.parseInt(shape.group(3));
        if (allowed == null || min > max) {
            return new ChunkNamePattern(pattern, null, 0, 0);
        }
        return new ChunkNamePattern(pattern, allowed, min, max);
    }

    /** The characters of a class body such as {@code A-Za-z0-9_-}, or null if it holds anything else. */
    private static boolean[] characterClass(String body) {
        boolean[] allowed = new boolean[128];
        int i = 0;
        while (i < body.length()) {
            char first = body.charAt(i);
            if (first >= 128 || first <= ' ') {
                return null;
            }
            boolean range = i + 2 < body.length() && body.charAt(i + 1) == '-';
            char last = range ? body.charAt(i + 2) : first;
            if (last >= 128 || last < first) {
                return null;
            }
            for (char c = first; c <= last; c++) {
                allowed[c] = true;
            }
            i += range ? 3 : 1;
        }
        return allowed;
    }

    public boolean matches(String name) {
        if (allowed == null) {
            return pattern.matcher(name).matches();
        }
        int length = name.length();
        if (length < minLength || length > maxLength) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (c >= 128 || !allowed[c]) {
                return false;
            }
        }
        return true;
    }

    public Pattern pattern() {
        return pattern;
    }
}
