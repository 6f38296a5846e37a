package org.syncservice.desktop.local;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The synced folder itself is gone or is not a folder: most often a disk that is unmounted or a
 * network share that dropped. Thrown instead of reporting an empty folder, so the engine never takes
 * "the folder is not there" for "every file in it was deleted".
 */
public final class SyncRootMissingException extends IOException {

    private final transient Path root;

    public SyncRootMissingException(Path root, String why) {
        super("the synced folder " + root + " " + why);
        this.root = root;
    }

    public SyncRootMissingException(Path root, String why, Throwable cause) {
        super("the synced folder " + root + " " + why, cause);
        this.root = root;
    }

    /** The synced folder that is missing. */
    public Path root() {
        return root;
    }
}
