package org.syncservice.server.config;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A config file in Java properties syntax, read entry by entry with the line each starts on.
 * {@link Properties} alone keeps the last of two lines with the same key without a word, so an
 * edit lower in a long file could silently undo one above it; here a key set twice is refused,
 * naming both lines. Each logical line (a natural line plus its continuations) is parsed by
 * {@link Properties} itself, so escapes and separators mean exactly what they mean there.
 * Stateless and thread-safe.
 */
final class PropertiesFile {

    /** One {@code key=value} of the file and the line it starts on (1-based). */
    record Entry(String key, String value, int line) {
    }

    private PropertiesFile() {
    }

    /**
     * @param text the file's content
     * @param name the file's name, for messages
     * @return the values by key, in file order
     * @throws ConfigException for a key set twice or a malformed escape, naming the line
     */
    static Map<String, Entry> parse(String text, String name) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Entry entry : entries(text, name)) {
            Entry earlier = entries.putIfAbsent(entry.key(), entry);
            if (earlier != null) {
                throw new ConfigException("config file " + name + ": key '" + Messages.quoted(entry.key())
                        + "' is set twice, on lines " + earlier.line() + " and " + entry.line()
                        + " (keep one)");
            }
        }
        return entries;
    }

    private static List<Entry> entries(String text, String name) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String stripped = lines[i].stripLeading();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith("!")) {
                continue;
            }
            int first = i;
            StringBuilder logical = new StringBuilder(lines[i]);
            while (continues(lines[i]) && i + 1 < lines.length) {
                i++;
                logical.append('\n').append(lines[i]);
            }
            Properties one = new Properties();
            try {
                one.load(new StringReader(logical.toString()));
            } catch (IOException | IllegalArgumentException e) {
                // IllegalArgumentException is how Properties reports a malformed unicode escape.
                throw new ConfigException("config file " + name + ": line " + (first + 1) + ": "
                        + Messages.oneLine(String.valueOf(e.getMessage())), e);
            }
            for (String key : one.stringPropertyNames()) {
                entries.add(new Entry(key, one.getProperty(key), first + 1));
            }
        }
        return entries;
    }

    /** An odd number of trailing backslashes continues the line on the next. */
    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
