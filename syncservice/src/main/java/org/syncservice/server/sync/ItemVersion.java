package org.syncservice.server.sync;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One stored version of one item: the latest state of an item, or an entry of its history.
 * Immutable.
 *
 * @param parentId the containing folder, 0 for the workspace's root
 * @param modifiedAtMs the client's modification time, Unix epoch ms (0 when unknown)
 * @param deviceId the committing device (null for versions written by the service itself)
 */
public record ItemVersion(
        long itemId,
        UUID workspaceId,
        long parentId,
        String name,
        boolean folder,
        long version,
        ItemStatus status,
        String mimeType,
        String checksum,
        long size,
        long modifiedAtMs,
        List<String> chunks,
        long changeSeq,
        UUID deviceId,
        long committedAtMs) {

    public ItemVersion {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        mimeType = mimeType == null ? "" : mimeType;
        checksum = checksum == null ? "" : checksum;
        chunks = List.copyOf(chunks);
    }

    public boolean deleted() {
        return status == ItemStatus.DELETED;
    }

    /** Bytes this version charges to the owner's quota: a live file's size, else nothing. */
    public long chargedBytes() {
        return folder || deleted() ? 0 : size;
    }
}
