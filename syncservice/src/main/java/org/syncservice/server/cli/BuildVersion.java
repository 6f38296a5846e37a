package org.syncservice.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version the build stamped into the jar. Stateless and thread-safe. */
public final class BuildVersion {
    static final String RESOURCE = "/org/syncservice/server/version.properties";
    static final String UNKNOWN = "unknown";

    private BuildVersion() {
    }

    /** The project version, or {@code unknown} when the classes were not built by Maven. */
    public static String read() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").strip();
            // An IDE that copies resources without Maven's filtering leaves the placeholder.
            return version.isEmpty() || version.startsWith("${") ? UNKNOWN : version;
        } catch (IOException e) {
            // Not knowing the version is no reason to refuse to start.
            return UNKNOWN;
        }
    }
}
