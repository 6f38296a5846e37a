package org.syncservice.server.storage;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.workspace.StorageLocation;
import org.syncservice.server.workspace.WorkspaceStore;
import org.syncservice.server.workspace.WorkspaceView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a workspace member short-lived signed URLs for chunks of that workspace. Only members
 * get URLs: any other caller learns NOT_FOUND, as if the workspace did not exist. The URLs point
 * into the location recorded with the workspace, not one recomputed from today's configuration.
 * Thread-safe.
 */
public final class StorageUrlService {
    private static final Logger log = LoggerFactory.getLogger(StorageUrlService.class);
    static final String NOT_FOUND = "no such workspace";

    private final WorkspaceStore workspaces;
    private final ChunkStorage storage;
    private final Pattern chunkNamePattern;
    private final int maxChunks;
    private final Duration ttl;

    public StorageUrlService(WorkspaceStore workspaces, ChunkStorage storage, Pattern chunkNamePattern,
                             int maxChunks, Duration ttl) {
        this.workspaces = workspaces;
        this.storage = storage;
        this.chunkNamePattern = chunkNamePattern;
        this.maxChunks = maxChunks;
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
        if (chunks.isEmpty()) {
            throw ServiceException.invalidArgument(field, "name at least one chunk");
        }
        if (chunks.size() > maxChunks) {
            throw ServiceException.invalidArgument(field,
                    "at most " + maxChunks + " chunks per request (max_chunks_per_item), got " + chunks.size());
        }
        for (int i = 0; i < chunks.size(); i++) {
            if (!chunkNamePattern.matcher(chunks.get(i)).matches()) {
                throw ServiceException.invalidArgument(field + "[" + i + "]",
                        "chunk name does not match chunk_name_pattern " + chunkNamePattern.pattern());
            }
        }
        if (!storage.signsUrls()) {
            throw ServiceException.unimplemented(
                    "this server's storage back-end does not sign URLs; reach storage with your own credentials");
        }
        WorkspaceView workspace = workspaces.findForMember(userId, workspaceId)
                .orElseThrow(() -> ServiceException.notFound(NOT_FOUND));
        StorageLocation location = workspace.storage();
        if (location.backend() != storage.backend()) {
            // The workspace was provisioned under another storage.backend: an operator's migration
            // is needed, nothing the client can fix.
            log.error("workspace {} lives on {} but the service is configured for {}", workspaceId,
                    location.backend(), storage.backend());
            throw new IllegalStateException("workspace " + workspaceId + " is on another storage back-end");
        }
        SignedUrls urls = storage.signedUrls(location, chunks, access, ttl);
        log.debug("signed {} {} URLs for user {} in workspace {}", chunks.size(), access, userId, workspaceId);
        return new SignedUrlsForWorkspace(urls, location);
    }

    /** The answer: the URLs and where the workspace's chunks live. Immutable. */
    public record SignedUrlsForWorkspace(SignedUrls urls, StorageLocation location) {
    }
}
