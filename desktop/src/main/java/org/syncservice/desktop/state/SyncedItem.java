package org.syncservice.desktop.state;

import java.util.List;

/**
 * The last state of an item that this device and the service agreed on: the merge base between the
 * local folder and the remote tree. The item's fields are the service's at {@code version}, with one
 * exception: after the client applied a remote move before the remote content (or the other way
 * round), the fields it already applied are the remote's and the version is still the old one, so
 * the next pass sees what is left. The local fields say how the file looked on disk when they agreed,
 * so an unchanged file is recognised without reading it. Immutable.
 *
 * @param itemId the item's id
 * @param parentId its folder's id, 0 for the root
 * @param name its name
 * @param folder whether it is a folder
 * @param version the version agreed on
 * @param checksum the content's checksum ({@code ""} for folders)
 * @param size the content's size
 * @param modifiedMs the content's modification time as the service has it
 * @param chunks the content's chunk names
 * @param fileKey the local file's identity when they agreed, or null when unknown
 * @param localSize the local file's size then
 * @param localModifiedMs the local file's modification time then
 */
public record SyncedItem(long itemId, long parentId, String name, boolean folder, long version, String checksum,
                         long size, long modifiedMs, List<String> chunks, String fileKey, long localSize,
                         long localModifiedMs) {

    public SyncedItem {
        chunks = List.copyOf(chunks);
        checksum = checksum == null ? "" : checksum;
    }
}
