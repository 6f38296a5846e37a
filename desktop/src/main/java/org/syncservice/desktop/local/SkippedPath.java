package org.syncservice.desktop.local;

import java.util.Objects;

/**
 * A path in the synced folder that a scan saw and left out, and why: for {@code status} to show,
 * and for the engine, which must treat what lies below a skipped folder as unknown rather than
 * deleted. Immutable.
 *
 * @param path the path relative to the synced folder, {@code /} between names
 * @param reason why it is left out
 * @param detail what the file system said, for people (may be empty)
 */
public record SkippedPath(String path, Reason reason, String detail) {

    public SkippedPath {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** Why a path is not synced. */
    public enum Reason {
        /** A symbolic link: it is neither followed nor synced, so nothing outside the folder is. */
        SYMBOLIC_LINK,
        /** Neither a regular file, a folder nor a link: a device, socket or named pipe. */
        SPECIAL_FILE,
        /** A folder whose entries could not be listed (permissions, I/O error). */
        UNREADABLE
    }
}
