package org.syncservice.server.sync;

import java.util.List;
import java.util.Objects;

/**
 * One item of a commit request: the metadata of the version the client wants to store, complete
 * for NEW and CHANGED; RENAMED, MOVED and DELETED may leave empty what they keep ({@link KeptFields}).
 * Immutable.
 *
 * @param itemId the existing item, or 0 for a new one
 * @param tempId the client's name for a new item (NEW), else empty
 * @param parentId the target folder by id (0 with an empty parentTempId: the workspace's root)
 * @param parentTempId the target folder created earlier in the same request, else empty
 */
public record ItemChange(
        long itemId,
        String tempId,
        long parentId,
        String parentTempId,
        long version,
        ItemStatus status,
        String name,
        String mimeType,
        boolean folder,
        String checksum,
        long size,
        long modifiedAtMs,
        List<String> chunks) {

    public ItemChange {
        tempId = tempId == null ? "" : tempId;
        parentTempId = parentTempId == null ? "" : parentTempId;
        Objects.requireNonNull(name, "name");
        mimeType = mimeType == null ? "" : mimeType;
        checksum = checksum == null ? "" : checksum;
        chunks = List.copyOf(chunks);
    }

    public boolean isNew() {
        return itemId == 0;
    }
}
