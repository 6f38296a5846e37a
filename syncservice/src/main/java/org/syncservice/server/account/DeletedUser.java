package org.syncservice.server.account;

import java.util.List;
import java.util.UUID;
import org.syncservice.server.storage.StorageLocation;

/**
 * What deleting a user removed from the metadata. The chunks in {@code storage} (one location per
 * workspace the user owned) are not touched by the deletion: removing them is the storage
 * back-end's job. Immutable.
 */
public record DeletedUser(UUID userId, String email, int devices, int workspaces, long items,
                          List<StorageLocation> storage) {

    public DeletedUser {
        storage = List.copyOf(storage);
    }
}
