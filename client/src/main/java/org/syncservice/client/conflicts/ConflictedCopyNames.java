package org.syncservice.client.conflicts;

import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Names of conflicted copies: {@code NAME (conflicted copy from DEVICE YYYY-MM-DD).ext}, the form
 * Dropbox made familiar, so that a copy sorts beside its original and opens with the same program.
 *
 * <ul>
 *   <li><b>The extension</b> is what follows the last dot ({@code report.pdf} → {@code .pdf}), with
 *       three exceptions: a name whose only dot leads it ({@code .bashrc}) or that ends in a dot has
 *       none; a name ending in {@code .tar.X} keeps both parts ({@code backup.tar.gz} →
 *       {@code .tar.gz}), the one compound extension common enough that cutting it would stop the copy
 *       from opening as an archive; and a "extension" longer than {@value #MAX_EXTENSION_BYTES} UTF-8
 *       bytes is taken as part of the name (it is a sentence with a dot, not a file type).</li>
 *   <li><b>A taken name</b> (the predicate passed in says so) gets a number inside the parenthesis:
 *       {@code NAME (conflicted copy from DEVICE YYYY-MM-DD 2).ext}, then 3, and so on.</li>
 *   <li><b>The device name</b> is made safe for a file name: {@code /}, {@code \} and control
 *       characters become {@code _}, surrounding white space goes, an empty name becomes
 *       {@code unknown device}, and it is cut to {@value #MAX_DEVICE_BYTES} UTF-8 bytes.</li>
 *   <li><b>Length:</b> the result is at most {@value #MAX_NAME_BYTES} UTF-8 bytes (the limit of ext4,
 *       APFS and NTFS alike, counted in the strictest unit), reached by shortening NAME, at a
 *       character boundary, never the extension or the marker.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class ConflictedCopyNames {

    /** The longest name a copy gets, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;

    /** The longest text after a dot still taken as an extension, in UTF-8 bytes. */
    public static final int MAX_EXTENSION_BYTES = 32;

    /** The longest device name put into a copy's name, in UTF-8 bytes. */
    public static final int MAX_DEVICE_BYTES = 64;

    /** After this many taken names the folder is pathological; better to fail than to loop. */
    static final int MAX_ATTEMPTS = 100_000;

    private static final String TAR = ".tar";

    private ConflictedCopyNames() {
    }

    /**
     * Chooses a conflicted copy's name.
     *
     * @param name the conflicted file's name (no {@code /})
     * @param deviceName the name of the device whose edit the copy keeps
     * @param date the day, in the user's time zone
     * @param nameTaken whether a name is already taken in the file's folder
     * @return a name for which {@code nameTaken} answered false
     * @throws IllegalArgumentException when {@code name} is not a file name
     * @throws IllegalStateException when {@value #MAX_ATTEMPTS} candidates in a row are all taken
     */
    public static String copyName(String name, String deviceName, LocalDate date, Predicate<String> nameTaken) {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(nameTaken, "nameTaken");
        String[] parts = split(name);
        String device = sanitiseDeviceName(deviceName);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String marker = " (conflicted copy from " + device + " " + date + (attempt > 1 ? " " + attempt : "") + ")";
            String candidate = fit(parts[0], marker + parts[1]);
            if (!nameTaken.test(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free conflicted copy name for " + name + " after " + MAX_ATTEMPTS
                + " attempts");
    }

    /**
     * Splits a file name into NAME and extension by the rules above.
     *
     * @return {@code [name, extension]}; the extension is empty or starts with a dot
     */
    static String[] split(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("name: expected a file name, got '" + name + "'");
        }
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return new String[] {name, ""};
        }
        String base = name.substring(0, dot);
        String extension = name.substring(dot);
        if (base.length() > TAR.length() && base.toLowerCase(Locale.ROOT).endsWith(TAR)) {
            extension = base.substring(base.length() - TAR.length()) + extension;
            base = base.substring(0, base.length() - TAR.length());
        }
        if (utf8Length(extension) > MAX_EXTENSION_BYTES) {
            return new String[] {name, ""};
        }
        return new String[] {base, extension};
    }

    /** The device name as it goes into a copy's name. */
    static String sanitiseDeviceName(String deviceName) {
        StringBuilder safe = new StringBuilder();
        (deviceName == null ? "" : deviceName).strip().codePoints().forEach(c -> {
            boolean unsafe = c == '/' || c == '\\' || Character.isISOControl(c)
                    || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR;
            safe.appendCodePoint(unsafe ? '_' : c);
        });
        String trimmed = safe.toString().strip();
        return trimmed.isEmpty() ? "unknown device" : cut(trimmed, MAX_DEVICE_BYTES);
    }

    /** {@code base + tail}, with {@code base} shortened until the whole fits. */
    private static String fit(String base, String tail) {
        int room = MAX_NAME_BYTES - utf8Length(tail);
        if (utf8Length(base) <= room) {
            return base + tail;
        }
        // The marker and extension are bounded well below the limit, so some of NAME always fits;
        // a cut that ends in white space would leave a double space before the marker.
        return cut(base, room).stripTrailing() + tail;
    }

    /** The longest prefix of {@code text}, ending at a character boundary, within {@code maxBytes}. */
    private static String cut(String text, int maxBytes) {
        if (utf8Length(text) <= maxBytes) {
            return text;
        }
        BreakIterator characters = BreakIterator.getCharacterInstance(Locale.ROOT);
        characters.setText(text);
        int end = 0;
        for (int next = characters.next(); next != BreakIterator.DONE; next = characters.next()) {
            if (utf8Length(text.substring(0, next)) > maxBytes) {
                break;
            }
            end = next;
        }
        return text.substring(0, end);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
