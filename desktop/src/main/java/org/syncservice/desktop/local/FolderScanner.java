package org.syncservice.desktop.local;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists what is in the synced folder: every file and folder the {@link IgnoreRules} let through,
 * with the file system's identity, size and modification time of each. Reads only attributes, never
 * content. Holds no state between calls, so one instance may be used from several threads at once.
 *
 * <p>Symbolic links are neither followed nor synced (the synced folder itself may be a link);
 * devices, sockets and pipes are not synced either; both are reported as {@link SkippedPath}s, as
 * is a folder that cannot be listed. What vanishes while a scan walks past it is left out without
 * complaint: the next scan or watch event settles it. The synced folder itself missing is never
 * reported as an empty folder but as a {@link SyncRootMissingException}.
 */
public final class FolderScanner {

    private static final Logger log = LoggerFactory.getLogger(FolderScanner.class);

    /** Parents before children: by depth, then by path so that siblings stay together. */
    static final Comparator<LocalEntry> PARENTS_FIRST =
            Comparator.comparingInt((LocalEntry entry) -> RelativePaths.depth(entry.path()))
                    .thenComparing(LocalEntry::path);

    private final Path root;
    private final IgnoreRules rules;
    private final BooleanSupplier markerRequired;

    /** A scanner for a folder that has no {@link FolderMarker} yet (not synced before). */
    public FolderScanner(Path root, IgnoreRules rules) {
        this(root, rules, false);
    }

    /**
     * @param markerRequired whether the synced folder counts as missing without its
     *     {@link FolderMarker}: true once the engine has placed it
     */
    public FolderScanner(Path root, IgnoreRules rules, boolean markerRequired) {
        this(root, rules, () -> markerRequired);
    }

    /**
     * @param markerRequired asked at each scan whether the synced folder counts as missing without
     *     its {@link FolderMarker}: true from the moment the engine has placed it
     */
    public FolderScanner(Path root, IgnoreRules rules, BooleanSupplier markerRequired) {
        this.root = Objects.requireNonNull(root, "root");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.markerRequired = Objects.requireNonNull(markerRequired, "markerRequired");
    }

    /** The synced folder, as given. */
    public Path root() {
        return root;
    }

    /**
     * Walks the whole folder; what is skipped is logged at debug level only.
     *
     * @see #scan(Consumer)
     */
    public List<LocalEntry> scan() throws IOException {
        return scan(skipped -> log.debug("skipped {}: {} {}", skipped.path(), skipped.reason(), skipped.detail()));
    }

    /**
     * Walks the whole folder.
     *
     * @param skipped told of each path left out for a reason other than the ignore rules, on the
     *     calling thread, during the walk
     * @return every file and folder found, parents before children
     * @throws SyncRootMissingException if the synced folder does not exist, is not a folder or lacks
     *     its required {@link FolderMarker}, at the start of the walk or at its end (a disk unmounted
     *     during the walk)
     * @throws IOException if the synced folder itself cannot be read
     */
    public List<LocalEntry> scan(Consumer<SkippedPath> skipped) throws IOException {
        Objects.requireNonNull(skipped, "skipped");
        Path start = checkedRoot();
        var visitor = new Visitor(start, rules, skipped);
        Files.walkFileTree(start, visitor); // links are not followed
        // A disk unmounted half-way leaves a walk that ended early, not a folder that was emptied.
        checkedRoot();
        List<LocalEntry> entries = visitor.entries;
        entries.sort(PARENTS_FIRST);
        return entries;
    }

    /**
     * Looks at one path again, as the engine does just before it replaces, moves or deletes what it
     * believes is there.
     *
     * @param relativePath the path relative to the synced folder, {@code /} between names
     * @return the entry, or empty if nothing is there (the engine's own temporary files and ignored
     *     names are looked at like any other: the caller asked for this path)
     * @throws UnsyncablePathException if a symbolic link or special file is there, or a link stands
     *     in place of one of the folders above it: the engine must neither replace it nor write
     *     through it
     * @throws SyncRootMissingException if the synced folder itself is missing
     * @throws IllegalArgumentException if the path is not one inside the synced folder
     */
    public Optional<LocalEntry> stat(String relativePath) throws IOException {
        Path start = checkedRoot();
        Path file = RelativePaths.resolve(start, relativePath);
        Path folder = start;
        for (Path name : start.relativize(file)) {
            folder = folder.resolve(name);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(folder, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            String path = RelativePaths.relative(start, folder);
            Optional<SkippedPath.Reason> notSynced = notSynced(attributes);
            if (notSynced.isPresent()) {
                throw new UnsyncablePathException(new SkippedPath(path, notSynced.get(),
                        folder.equals(file) ? "" : "it stands in the way of " + relativePath));
            }
            if (folder.equals(file)) {
                return Optional.of(LocalEntry.of(relativePath, attributes));
            }
            if (!attributes.isDirectory()) {
                return Optional.empty(); // a file where a folder on the way should be
            }
        }
        throw new AssertionError("the loop returns at the last name of " + relativePath);
    }

    /** The real path of the synced folder, checked to be an existing folder with its marker if required. */
    private Path checkedRoot() throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(root, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new SyncRootMissingException(root, "does not exist", e);
        }
        if (!attributes.isDirectory()) {
            throw new SyncRootMissingException(root, "is not a folder");
        }
        if (markerRequired.getAsBoolean() && !FolderMarker.isPresent(root)) {
            throw new SyncRootMissingException(root, "has lost its marker file " + FolderMarker.NAME
                    + " (is the disk it lives on mounted?)");
        }
        try {
            return root.toRealPath();
        } catch (NoSuchFileException e) {
            throw new SyncRootMissingException(root, "does not exist", e);
        }
    }

    /** Why a file with these attributes (read without following links) is not synced, if it is not. */
    static Optional<SkippedPath.Reason> notSynced(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return Optional.of(SkippedPath.Reason.SYMBOLIC_LINK);
        }
        if (attributes.isOther()) {
            return Optional.of(SkippedPath.Reason.SPECIAL_FILE);
        }
        return Optional.empty();
    }

    /** Collects one walk's entries; the walk is single-threaded, so no locking. */
    private static final class Visitor implements FileVisitor<Path> {

        private final Path start;
        private final IgnoreRules rules;
        private final Consumer<SkippedPath> skipped;
        final List<LocalEntry> entries = new ArrayList<>();

        Visitor(Path start, IgnoreRules rules, Consumer<SkippedPath> skipped) {
            this.start = start;
            this.rules = rules;
            this.skipped = skipped;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            if (dir.equals(start)) {
                return FileVisitResult.CONTINUE;
            }
            String path = RelativePaths.relative(start, dir);
            if (rules.ignores(path)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            entries.add(LocalEntry.of(path, attributes));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            String path = RelativePaths.relative(start, file);
            if (rules.ignores(path)) {
                return FileVisitResult.CONTINUE;
            }
            Optional<SkippedPath.Reason> notSynced = notSynced(attributes);
            if (notSynced.isPresent()) {
                skipped.accept(new SkippedPath(path, notSynced.get(), ""));
            } else {
                entries.add(LocalEntry.of(path, attributes));
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
            if (file.equals(start)) {
                throw failure;
            }
            if (failure instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE; // gone since its folder was listed
            }
            String path = RelativePaths.relative(start, file);
            if (rules.ignores(path)) {
                return FileVisitResult.CONTINUE;
            }
            // Most often a folder that cannot be opened. It is there, so it goes in the list (the
            // engine must not delete it remotely); what is inside is unknown, which the skip says.
            try {
                BasicFileAttributes attributes =
                        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isDirectory()) {
                    entries.add(LocalEntry.of(path, attributes));
                }
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
            skipped.accept(new SkippedPath(path, SkippedPath.Reason.UNREADABLE, failure.toString()));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
            if (failure == null || failure instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE; // listed to the end, or removed while being listed
            }
            if (dir.equals(start)) {
                throw failure;
            }
            skipped.accept(new SkippedPath(RelativePaths.relative(start, dir), SkippedPath.Reason.UNREADABLE,
                    failure.toString()));
            return FileVisitResult.CONTINUE;
        }
    }
}
