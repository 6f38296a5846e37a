package org.syncservice.desktop.state;

import java.util.List;

/**
 * An item as the service last reported it: the remote tree, tombstones included until the client
 * has applied them. Immutable.
 *
 * @param itemId the item's id
 * @param parentId its folder's id, 0 for the workspace's root
 * @param name its name
 * @param folder whether it is a folder
 * @param version the latest version known
 * @param deleted whether that version is a tombstone
 * @param checksum the content's checksum ({@code ""} for folders and tombstones)
 * @param size the content's size
 * @param modifiedMs the content's modification time, Unix ms
 * @param chunks the content's chunk names in order
 * @param deviceId the device that committed the version
 */
public record RemoteItem(long itemId, long parentId, String name, boolean folder, long version, boolean deleted,
                         String checksum, long size, long modifiedMs, List<String> chunks, String deviceId) {

    public RemoteItem {
        chunks = List.copyOf(chunks);
        checksum = checksum == null ? "" : checksum;
        deviceId = deviceId == null ? "" : deviceId;
    }
}
