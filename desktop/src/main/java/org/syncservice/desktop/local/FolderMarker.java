package org.syncservice.desktop.local;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A small file at the top of the synced folder that says "this is the synced folder". A disk that
 * is unmounted often leaves its mount point behind as an empty folder, which a scan alone cannot tell
 * from a folder whose files were all deleted; a missing marker can. The engine places the marker
 * once the folder has been synced, and from then on scans with {@link FolderScanner} requiring it.
 * Never synced ({@link IgnoreRules} ignores its name). Stateless; safe from any thread.
 */
public final class FolderMarker {

    /** The marker's file name. */
    public static final String NAME = ".syncservice-folder";

    private static final String CONTENT = "This folder is kept in sync by syncservice. The client stops syncing it"
            + " while this file is missing, as it would be on a disk that is not mounted.\n";

    private FolderMarker() {
    }

    /** Places the marker in the synced folder, if it is not there yet. */
    public static void place(Path root) throws IOException {
        try {
            Files.writeString(root.resolve(NAME), CONTENT, StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException alreadyPlaced) {
            // placed before: nothing to do
        }
    }

    /** Whether the marker is in the synced folder (as a regular file, not a link). */
    public static boolean isPresent(Path root) {
        return Files.isRegularFile(root.resolve(NAME), LinkOption.NOFOLLOW_LINKS);
    }
}
