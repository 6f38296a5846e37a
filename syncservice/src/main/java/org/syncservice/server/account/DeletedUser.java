package org.syncservice.server.account;

import java.util.List;
import java.util.UUID;
import org.syncservice.server.storage.StorageLocation;

/**
 * What deleting a user removed. {@code storage} holds the place of chunks of every workspace the
 * user owned, removed from storage after the metadata; {@code storageLeft} those of them that
 * could not be removed (storage unreachable), which are left for the operator. Immutable.
 */
public record DeletedUser(UUID userId, String email, int devices, int workspaces, long items,
                          List<StorageLocation> storage, List<StorageLocation> storageLeft) {

    public DeletedUser {
        storage = List.copyOf(storage);
        storageLeft = List.copyOf(storageLeft);
    }

    /** Just deleted from the metadata: no place removed from storage yet. */
    public DeletedUser(UUID userId, String email, int devices, int workspaces, long items,
                       List<StorageLocation> storage) {
        this(userId, email, devices, workspaces, items, storage, storage);
    }

    /** The same deletion with these places still in storage. */
    public DeletedUser leaving(List<StorageLocation> left) {
        return new DeletedUser(userId, email, devices, workspaces, items, storage, left);
    }
}
