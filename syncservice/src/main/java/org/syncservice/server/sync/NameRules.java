package org.syncservice.server.sync;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * How item names are checked, stored and compared.
 *
 * <p>A name is stored in Unicode NFC, so every device sees the same bytes whatever form its file
 * system produced (macOS hands out NFD). Two names clash in one folder when they are equal after
 * NFC and case folding: case is preserved but not significant, because the desktop file systems
 * that most clients run on (NTFS, APFS) cannot hold both "Report.txt" and "report.txt" in one
 * folder. Case folding is approximated by upper- then lower-casing in the root locale, which folds
 * the special cases a plain lower-casing misses (for example "STRASSE" and "straße").
 * Thread-safe (stateless).
 */
public final class NameRules {
    private final int maxNameBytes;

    public NameRules(int maxNameBytes) {
        this.maxNameBytes = maxNameBytes;
    }

    /** The name as stored: NFC. */
    public static String normalize(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFC);
    }

    /** The key two names of one folder must not share. */
    public static String key(String name) {
        return normalize(name).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** @return why the name is not allowed, or empty when it is */
    public Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("the name is empty");
        }
        String normalized = normalize(name);
        if (normalized.equals(".") || normalized.equals("..")) {
            return Optional.of("the name '" + normalized + "' is reserved");
        }
        int bytes = normalized.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxNameBytes) {
            return Optional.of("the name is " + bytes + " bytes long; the limit is " + maxNameBytes);
        }
        for (int i = 0; i < normalized.length(); i++) {
            char c = normalized.charAt(i);
            if (c == '/') {
                return Optional.of("the name contains '/'");
            }
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("the name contains the control character U+" + String.format("%04X", (int) c));
            }
        }
        return Optional.empty();
    }
}
