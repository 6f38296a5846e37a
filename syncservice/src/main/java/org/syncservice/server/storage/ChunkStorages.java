package org.syncservice.server.storage;

import java.time.Clock;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.storage.ftp.FtpChunkStorage;
import org.syncservice.server.storage.s3.S3ChunkStorage;
import org.syncservice.server.storage.swift.SwiftChunkStorage;

/** Builds the back-end {@code storage.backend} selects. The only place that names the implementations. */
public final class ChunkStorages {

    private ChunkStorages() {
    }

    /** A new, not yet started back-end; the caller starts and closes it. */
    public static ChunkStorage create(StorageConfig config, Clock clock) {
        return switch (config.backend()) {
            case S3 -> new S3ChunkStorage(config.s3(), clock);
            case SWIFT -> new SwiftChunkStorage(config.swift(), clock);
            case FTP -> new FtpChunkStorage(config.ftp());
        };
    }
}
