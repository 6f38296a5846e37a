package org.syncservice.server.storage.swift;

import java.time.Clock;
import java.util.UUID;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.ChunkStorageContract;
import org.syncservice.server.storage.StorageLayout;
import org.syncservice.server.storage.StorageLocation;

/** The storage contract on a real Swift, however the subclass has the service log in to it. */
abstract class SwiftStorageContract extends ChunkStorageContract {

    /** The storage settings pointing at the subclass's Swift. */
    protected abstract StorageConfig config();

    @Override
    protected ChunkStorage newStorage() {
        SwiftChunkStorage swift = new SwiftChunkStorage(config().swift(), Clock.systemUTC());
        swift.start();
        return swift;
    }

    @Override
    protected StorageLocation newLocation() {
        return new StorageLayout(config()).locationFor(UUID.randomUUID());
    }
}
