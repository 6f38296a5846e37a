package org.syncservice.desktop.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The names the client never syncs: its own temporary download files, the junk that editors and
 * operating systems leave beside real files, and the user's own patterns. Immutable and safe to
 * share between threads.
 *
 * <p>Always ignored:
 * <ul>
 *   <li>the client's temporary files, {@code .syncservice-*.part} (see {@link #temporaryNameFor}),
 *       and the synced folder's marker, {@value FolderMarker#NAME} (see {@link FolderMarker});
 *   <li>{@code .DS_Store} (macOS Finder), {@code Thumbs.db} and {@code desktop.ini} (Windows
 *       Explorer), matched without regard to case because those systems write them so;
 *   <li>{@code ~$*} (Microsoft Office lock files) and {@code .~lock.*#} (LibreOffice lock files),
 *       which belong to one open document on one machine and would lock it everywhere;
 *   <li>{@code *.swp}, {@code *.swx} (vim swap files) and {@code *~} (backup copies of many
 *       editors), rewritten on every keystroke or save.
 * </ul>
 * The set is kept small on purpose: a name wrongly ignored is a file silently never synced, which
 * is worse than syncing some junk.
 *
 * <p>User patterns are globs in the syntax of {@link java.nio.file.FileSystem#getPathMatcher}. A
 * pattern without {@code /} is matched against each name (so {@code *.tmp} ignores every such file
 * in every folder, and {@code build} every file or folder so named); one with {@code /} is matched
 * against the whole path relative to the synced folder ({@code cache/**}). An ignored folder is
 * ignored with everything in it.
 */
public final class IgnoreRules {

    /** The start of every temporary file name the client makes. */
    public static final String TEMPORARY_PREFIX = ".syncservice-";
    /** The end of every temporary file name the client makes. */
    public static final String TEMPORARY_SUFFIX = ".part";

    /** File systems on every desktop platform refuse longer names (in UTF-8 bytes or UTF-16 units). */
    private static final int MAX_NAME_BYTES = 255;

    private static final Set<String> JUNK_NAMES = Set.of(".ds_store", "thumbs.db", "desktop.ini");

    private final List<String> patterns;
    private final List<PathMatcher> nameMatchers;
    private final List<PathMatcher> pathMatchers;

    private IgnoreRules(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        var names = new ArrayList<PathMatcher>();
        var paths = new ArrayList<PathMatcher>();
        for (String pattern : this.patterns) {
            if (pattern.isBlank()) {
                throw new IllegalArgumentException("an ignore pattern must not be blank");
            }
            // The default file system's matcher, so a folder on a case-insensitive system is matched
            // the way that system compares names.
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            (pattern.contains("/") ? paths : names).add(matcher);
        }
        this.nameMatchers = List.copyOf(names);
        this.pathMatchers = List.copyOf(paths);
    }

    /** The built-in rules alone. */
    public static IgnoreRules defaults() {
        return new IgnoreRules(List.of());
    }

    /**
     * The built-in rules and the user's patterns.
     *
     * @throws IllegalArgumentException if a pattern is blank or not a valid glob
     */
    public static IgnoreRules withPatterns(List<String> userPatterns) {
        return new IgnoreRules(Objects.requireNonNull(userPatterns, "userPatterns"));
    }

    /** The user's patterns, as given. */
    public List<String> userPatterns() {
        return patterns;
    }

    /**
     * Whether the file or folder at this path (relative to the synced folder, {@code /} between
     * names) is left out of sync. Only its own name and path are looked at: callers that walk a tree
     * stop at an ignored folder, and callers that look at one path check its parents with
     * {@link #ignoresAnyOf}.
     */
    public boolean ignores(String relativePath) {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        if (isTemporaryName(name) || isJunkName(name) || name.equals(FolderMarker.NAME)) {
            return true;
        }
        if (!nameMatchers.isEmpty()) {
            Path namePath = Path.of(name);
            for (PathMatcher matcher : nameMatchers) {
                if (matcher.matches(namePath)) {
                    return true;
                }
            }
        }
        if (!pathMatchers.isEmpty()) {
            Path path = Path.of(relativePath);
            for (PathMatcher matcher : pathMatchers) {
                if (matcher.matches(path)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether this path or any folder above it is ignored. */
    public boolean ignoresAnyOf(String relativePath) {
        for (int slash = relativePath.indexOf('/'); slash >= 0; slash = relativePath.indexOf('/', slash + 1)) {
            if (ignores(relativePath.substring(0, slash))) {
                return true;
            }
        }
        return ignores(relativePath);
    }

    /** Whether the name is one of the client's own temporary files. */
    public static boolean isTemporaryName(String name) {
        return name.startsWith(TEMPORARY_PREFIX) && name.endsWith(TEMPORARY_SUFFIX)
                && name.length() >= TEMPORARY_PREFIX.length() + TEMPORARY_SUFFIX.length();
    }

    /**
     * The name of the temporary file a download of {@code targetName} is written to, in the same
     * folder, before it is renamed into place. Always {@linkplain #isTemporaryName temporary}, so
     * scans and watchers never report it, and a restarted client finds and removes what an
     * interrupted download left by that name. A target name too long to take the prefix and
     * suffix is replaced by its SHA-256 in the temporary name.
     */
    public static String temporaryNameFor(String targetName) {
        return temporaryName(targetName, "");
    }

    /**
     * The name of the temporary file a download of item {@code itemId} to {@code targetName} is
     * written to: as {@link #temporaryNameFor(String)}, with the item's id, so two downloads to one
     * name (two items that take it in turn within a round) never write one file. A shared file let
     * the bytes of one land in the file the other had just moved into place and recorded.
     */
    public static String temporaryNameFor(String targetName, long itemId) {
        return temporaryName(targetName, "." + itemId);
    }

    private static String temporaryName(String targetName, String tag) {
        if (targetName.isEmpty() || targetName.contains("/")) {
            throw new IllegalArgumentException("a file name, not a path: '" + targetName + "'");
        }
        String name = TEMPORARY_PREFIX + targetName + tag + TEMPORARY_SUFFIX;
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES) {
            return name;
        }
        return TEMPORARY_PREFIX + sha256Hex(targetName) + tag + TEMPORARY_SUFFIX;
    }

    private static boolean isJunkName(String name) {
        if (name.startsWith("~$") || name.endsWith("~") || name.endsWith(".swp") || name.endsWith(".swx")) {
            return true;
        }
        if (name.startsWith(".~lock.") && name.endsWith("#")) {
            return true;
        }
        return JUNK_NAMES.contains(name.toLowerCase(Locale.ROOT));
    }

    private static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "IgnoreRules" + patterns;
    }
}
