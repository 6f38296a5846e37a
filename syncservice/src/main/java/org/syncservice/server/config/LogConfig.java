package org.syncservice.server.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the service logs (keys {@code log.*}). Immutable. */
public record LogConfig(String level, Format format) {

    public enum Format { TEXT, JSON }

    static final Map<String, Format> FORMATS = formats();

    static final Map<String, String> LEVELS = levels("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    private static Map<String, Format> formats() {
        Map<String, Format> formats = new LinkedHashMap<>();
        formats.put("text", Format.TEXT);
        formats.put("json", Format.JSON);
        return Collections.unmodifiableMap(formats);
    }

    private static Map<String, String> levels(String... names) {
        Map<String, String> levels = new LinkedHashMap<>();
        for (String name : names) {
            levels.put(name, name);
        }
        return Collections.unmodifiableMap(levels);
    }
}
