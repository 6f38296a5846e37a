package org.syncservice.desktop.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Explains a registration that failed on Linux's limit of inotify watches per user. */
final class InotifyLimit {

    private static final Path MAX_USER_WATCHES = Path.of("/proc/sys/fs/inotify/max_user_watches");

    private InotifyLimit() {
    }

    /** Whether the failure is the watch limit being reached (the JDK reports ENOSPC so). */
    static boolean reached(IOException failure) {
        String message = failure.getMessage();
        return message != null && message.contains("inotify watches");
    }

    /** A hint for the log line about the failure: empty unless it is the watch limit. */
    static String hint(IOException failure) {
        if (!reached(failure)) {
            return "";
        }
        return ": the limit of inotify watches per user (fs.inotify.max_user_watches = " + currentLimit()
                + ") is reached, by this folder's subfolders and other programs' watches; raise it with"
                + " 'sysctl fs.inotify.max_user_watches=524288'";
    }

    static String currentLimit() {
        // Line by line: Files.readString trusts the size procfs reports and reads one byte.
        try (var reader = Files.newBufferedReader(MAX_USER_WATCHES)) {
            String line = reader.readLine();
            return line == null ? "unknown" : line.trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
