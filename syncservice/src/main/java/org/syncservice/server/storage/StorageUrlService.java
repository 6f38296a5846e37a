package org.syncservice.server.storage;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.syncservice.server.core.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a workspace member short-lived signed URLs for chunks of that workspace. Only members
 * get URLs: any other caller learns NOT_FOUND, as if the workspace did not exist. A READER gets
 * READ URLs only: a signed URL grants the one method it was signed for, so no URL of a reader's
 * writes. The URLs point
 * into the location recorded with the workspace, not one recomputed from today's configuration.
 * Thread-safe.
 */
public final class StorageUrlService {
    private static final Logger log = LoggerFactory.getLogger(StorageUrlService.class);

    private final ChunkStorage storage;
    private final ChunkNameRules names;
    private final MemberLocations locations;
    private final Duration ttl;
    private final long maxChunkBytes;

    public StorageUrlService(WorkspaceLocations workspaces, ChunkStorage storage, Pattern chunkNamePattern,
                             int maxChunks, Duration ttl) {
        this(workspaces, storage, chunkNamePattern, maxChunks, Long.MAX_VALUE, ttl);
    }

    /** @param maxChunkBytes the largest size a client may declare for a chunk (limits.max-file-size-bytes) */
    public StorageUrlService(WorkspaceLocations workspaces, ChunkStorage storage, Pattern chunkNamePattern,
                             int maxChunks, long maxChunkBytes, Duration ttl) {
        this.storage = storage;
        this.maxChunkBytes = maxChunkBytes;
        this.names = new ChunkNameRules(chunkNamePattern, maxChunks);
        this.locations = new MemberLocations(workspaces, storage);
        this.ttl = ttl;
    }

    /**
     * @param field the request field the chunks came in, for error messages ("get_storage_urls.chunks")
     * @throws ServiceException INVALID_ARGUMENT for a bad chunk name or count, NOT_FOUND when the
     *         user is not a member, UNIMPLEMENTED when the back-end cannot sign, UNAVAILABLE when
     *         storage or the database cannot be reached
     */
    public SignedUrlsForWorkspace signedUrls(UUID userId, UUID workspaceId, StorageAccess access,
                                             List<String> chunks, String field) {
        return signedUrls(userId, workspaceId, access, chunks, field, List.of(), "sizes");
    }

    /**
     * As {@link #signedUrls(UUID, UUID, StorageAccess, List, String)}, with the sizes a client
     * declares for the chunks it is about to upload (empty: none declared).
     *
     * @param sizesField the request field the sizes came in ("get_storage_urls.sizes")
     * @throws ServiceException INVALID_ARGUMENT also for sizes with a READ, not one per chunk, or
     *         out of 0 to {@code limits.max-file-size-bytes}
     */
    public SignedUrlsForWorkspace signedUrls(UUID userId, UUID workspaceId, StorageAccess access,
                                             List<String> chunks, String field, List<Long> sizes,
                                             String sizesField) {
        names.check(chunks, field);
        checkSizes(access, chunks, sizes, sizesField);
        if (!storage.signsUrls()) {
            throw ServiceException.unimplemented(
                    "this server's storage back-end does not sign URLs; reach storage with your own credentials");
        }
        StorageLocation location = locations.of(userId, workspaceId, access);
        SignedUrls urls = storage.signedUrls(location, chunks, access, ttl, sizes);
        log.debug("signed {} {} URLs for user {} in workspace {}", chunks.size(), access, userId, workspaceId);
        return new SignedUrlsForWorkspace(urls, location);
    }

    private void checkSizes(StorageAccess access, List<String> chunks, List<Long> sizes, String field) {
        if (sizes.isEmpty()) {
            return;
        }
        if (access != StorageAccess.WRITE) {
            throw ServiceException.invalidArgument(field, "sizes are declared only for STORAGE_ACCESS_WRITE");
        }
        if (sizes.size() != chunks.size()) {
            throw ServiceException.invalidArgument(field, "one size per chunk: " + chunks.size() + " chunks, "
                    + sizes.size() + " sizes");
        }
        Map<String, Long> sizeOf = new HashMap<>();
        for (int i = 0; i < sizes.size(); i++) {
            long size = sizes.get(i);
            if (size < 0 || size > maxChunkBytes) {
                throw ServiceException.invalidArgument(field + "[" + i + "]",
                        "a chunk size is 0 to " + maxChunkBytes + " bytes (max_file_size_bytes), not " + size);
            }
            Long earlier = sizeOf.putIfAbsent(chunks.get(i), size);
            if (earlier != null && earlier != size) {
                throw ServiceException.invalidArgument(field + "[" + i + "]", "chunk " + chunks.get(i)
                        + " is named twice with the sizes " + earlier + " and " + size);
            }
        }
    }

    /** The answer: the URLs and where the workspace's chunks live. Immutable. */
    public record SignedUrlsForWorkspace(SignedUrls urls, StorageLocation location) {
    }
}
