package org.syncservice.desktop.local;

import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * One file or folder found in the synced folder by a scan. Immutable.
 *
 * @param path the path relative to the synced folder, with {@code /} between names and no leading
 *     or trailing {@code /}
 * @param folder whether it is a folder
 * @param fileKey the file system's identity of the file (device and inode on Linux), which stays
 *     the same across a rename or move; null where the file system has none
 * @param size the size in bytes (0 for folders)
 * @param modifiedMs the modification time, Unix milliseconds
 */
public record LocalEntry(String path, boolean folder, String fileKey, long size, long modifiedMs) {

    public LocalEntry {
        Objects.requireNonNull(path, "path");
    }

    /**
     * The entry for a file or folder from its attributes, read without following links. The file
     * key is rendered with its {@code toString()}, which the JDK builds from the device and inode
     * numbers where the file system has them, so it is the same in every run of the client.
     */
    public static LocalEntry of(String path, BasicFileAttributes attributes) {
        Object key = attributes.fileKey();
        boolean folder = attributes.isDirectory();
        return new LocalEntry(path, folder, key == null ? null : key.toString(),
                folder ? 0 : attributes.size(), attributes.lastModifiedTime().toMillis());
    }

    /** The last name of the path. */
    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** The parent folder's path; empty for an entry at the top of the synced folder. */
    public String parentPath() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
