package org.syncservice.server.storage;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.workspace.StorageLocation;
import org.syncservice.server.workspace.WorkspaceStore;
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

    private final ChunkStorage storage;
    private final ChunkNameRules names;
    private final MemberLocations locations;
    private final Duration ttl;

    public StorageUrlService(WorkspaceStore workspaces, ChunkStorage storage, Pattern chunkNamePattern,
                             int maxChunks, Duration ttl) {
        this.storage = storage;
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
        names.check(chunks, field);
        if (!storage.signsUrls()) {
            throw ServiceException.unimplemented(
                    "this server's storage back-end does not sign URLs; reach storage with your own credentials");
        }
        StorageLocation location = locations.of(userId, workspaceId);
        SignedUrls urls = storage.signedUrls(location, chunks, access, ttl);
        log.debug("signed {} {} URLs for user {} in workspace {}", chunks.size(), access, userId, workspaceId);
        return new SignedUrlsForWorkspace(urls, location);
    }

    /** The answer: the URLs and where the workspace's chunks live. Immutable. */
    public record SignedUrlsForWorkspace(SignedUrls urls, StorageLocation location) {
    }
}
