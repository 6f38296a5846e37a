package org.syncservice.server.sync;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import org.syncservice.server.core.NameRules;

/**
 * How item names are stored and compared; what a valid name is, is {@link NameRules}'s.
 *
 * <p>A name is stored in Unicode NFC, so every device sees the same bytes whatever form its file
 * system produced (macOS hands out NFD). Two names clash in one folder when they are equal after
 * NFC and case folding: case is preserved but not significant, because the desktop file systems
 * that most clients run on (NTFS, APFS) cannot hold both "Report.txt" and "report.txt" in one
 * folder. Case folding is approximated by upper- then lower-casing in the root locale, which folds
 * the special cases a plain lower-casing misses (for example "STRASSE" and "straße").
 * Thread-safe (stateless).
 */
public final class ItemNames {
    private final int maxNameBytes;

    public ItemNames(int maxNameBytes) {
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

    /** @return why the name is not allowed (checked in the form it is stored), or empty when it is */
    public Optional<String> problem(String name) {
        return Optional.ofNullable(NameRules.nameProblem(normalize(name), maxNameBytes));
    }
}
