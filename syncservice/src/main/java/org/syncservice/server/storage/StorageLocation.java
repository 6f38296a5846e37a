package org.syncservice.server.storage;

import java.util.Objects;
import org.syncservice.server.config.StorageConfig;

/**
 * Where a workspace's chunks live: a chunk named {@code c} is the object {@code prefix + c} in
 * {@code container} (Swift container, S3 bucket, FTP host). Immutable.
 */
public record StorageLocation(StorageConfig.Backend backend, String container, String prefix) {

    public StorageLocation {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(prefix, "prefix");
    }

    /** The object name of a chunk in this location. */
    public String objectName(String chunkName) {
        return prefix + chunkName;
    }
}
