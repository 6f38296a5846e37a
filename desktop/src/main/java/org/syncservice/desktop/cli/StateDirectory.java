package org.syncservice.desktop.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Where a synced folder's state lives (its credential, its state database {@value #DATABASE}, its
 * log): by default {@code $XDG_STATE_HOME/syncservice/<hash of the folder's absolute path>}, with
 * XDG_STATE_HOME falling back to {@code ~/.local/state} as the XDG base directory spec says. The
 * directory is the user's alone (0700), and never inside the synced folder, where the client would
 * sync its own database and token. Stateless.
 */
final class StateDirectory {

    /** The engine's state database in the state directory. */
    static final String DATABASE = "state.db";

    /** The client's log in the state directory. */
    static final String LOG = "client.log";

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private StateDirectory() {
    }

    /** The default state directory of a folder. */
    static Path defaultFor(Path folder, CliEnvironment environment) {
        // The spec ignores a relative XDG_STATE_HOME: it would depend on the working directory.
        Path stateHome = environment.variable("XDG_STATE_HOME").map(Path::of).filter(Path::isAbsolute)
                .orElse(environment.home().resolve(".local").resolve("state"));
        return stateHome.resolve("syncservice").resolve(folderKey(folder));
    }

    /** A stable name for a folder: the first 32 hex digits of the SHA-256 of its canonical path. */
    static String folderKey(Path folder) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical(folder).toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Refuses a state directory inside the synced folder (or equal to it).
     *
     * @throws UsageException when it is
     */
    static void requireOutside(Path stateDirectory, Path folder) {
        if (canonical(stateDirectory).startsWith(canonical(folder))) {
            throw new UsageException("the state directory " + stateDirectory + " is inside the synced folder "
                    + folder + ": choose one outside it with --state");
        }
    }

    /**
     * Creates the state directory readable by its owner only, or makes an existing one so.
     *
     * @return the directory
     * @throws CliFailure when it cannot be created
     */
    static Path create(Path stateDirectory) {
        try {
            if (!posix()) {
                return Files.createDirectories(stateDirectory);
            }
            if (Files.isDirectory(stateDirectory)) {
                Files.setPosixFilePermissions(stateDirectory, OWNER_ONLY);
                return stateDirectory;
            }
            // Created 0700 from the start: a chmod after the fact leaves a moment it is readable.
            return Files.createDirectories(stateDirectory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (IOException e) {
            throw new CliFailure("cannot create the state directory " + stateDirectory + ": " + e);
        }
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /**
     * The path with symbolic links resolved as far as it exists, so that two spellings of one folder
     * share their state and a link cannot hide a state directory inside the folder.
     */
    static Path canonical(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }
}
