package org.syncservice.server.storage;

import java.util.UUID;
import org.syncservice.server.config.StorageConfig;

/**
 * Decides where a new workspace's chunks go on the configured back-end. Chunk object names are
 * always {@code <prefix><chunkName>}:
 * <ul>
 *   <li>S3: one bucket for everything; container = the configured bucket, prefix = {@code <workspaceId>/}.</li>
 *   <li>Swift: a container per workspace (removing a workspace deletes one container);
 *       container = {@code <containerPrefix><workspaceId>}, prefix = "".</li>
 *   <li>FTP: a directory per workspace; container = the configured host, prefix =
 *       {@code <rootDirectory>/<workspaceId>/} (the trailing '/' makes the prefix rule hold).</li>
 * </ul>
 * Pure; thread-safe.
 */
public final class StorageLayout {
    private final StorageConfig storage;

    public StorageLayout(StorageConfig storage) {
        this.storage = storage;
    }

    public StorageLocation locationFor(UUID workspaceId) {
        String id = workspaceId.toString();
        return switch (storage.backend()) {
            case S3 -> new StorageLocation(StorageConfig.Backend.S3, storage.s3().bucket(), id + "/");
            case SWIFT -> new StorageLocation(StorageConfig.Backend.SWIFT,
                    storage.swift().containerPrefix() + id, "");
            case FTP -> new StorageLocation(StorageConfig.Backend.FTP, storage.ftp().host(),
                    directory(storage.ftp().rootDirectory()) + id + "/");
        };
    }

    /** The root directory ending in exactly one '/', or "" for none. */
    private static String directory(String root) {
        String trimmed = root;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return root.startsWith("/") ? "/" : "";
        }
        return trimmed + "/";
    }
}
