package org.syncservice.server.storage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a workspace member which chunks the workspace's place in storage lacks, so that a client
 * uploads only those. Only members are answered: any other caller learns NOT_FOUND, as if the
 * workspace did not exist.
 *
 * <p>Storage is always asked, even for chunks that committed versions of the workspace name: the
 * metadata does not prove that a chunk is stored. Without {@code storage.verify-chunks} (the
 * default) a commit may name chunks that were never uploaded, and a share skips chunks missing
 * from the source; only the chunk collector's own deletions are guarded by references. Read-only.
 * Thread-safe.
 */
public final class MissingChunkService {
    private static final Logger log = LoggerFactory.getLogger(MissingChunkService.class);

    private final ChunkStorage storage;
    private final ChunkNameRules names;
    private final MemberLocations locations;

    public MissingChunkService(WorkspaceLocations workspaces, ChunkStorage storage, Pattern chunkNamePattern,
                               int maxChunks) {
        this.storage = storage;
        this.names = new ChunkNameRules(chunkNamePattern, maxChunks);
        this.locations = new MemberLocations(workspaces, storage);
    }

    /**
     * The chunks among {@code chunks} that the workspace's place in storage does not hold, in the
     * order of their first mention, each once.
     *
     * @param field the request field the chunks came in, for error messages ("get_missing_chunks.chunks")
     * @throws org.syncservice.server.core.ServiceException INVALID_ARGUMENT for a bad chunk name or
     *         count, NOT_FOUND when the user is not a member, UNAVAILABLE when storage or the
     *         database cannot be reached
     */
    public List<String> missing(UUID userId, UUID workspaceId, List<String> chunks, String field) {
        names.check(chunks, field);
        StorageLocation location = locations.of(userId, workspaceId);
        Set<String> distinct = new LinkedHashSet<>(chunks);
        Set<String> absent = storage.missingChunks(location, distinct);
        List<String> missing = new ArrayList<>(absent.size());
        for (String chunk : distinct) {
            if (absent.contains(chunk)) {
                missing.add(chunk);
            }
        }
        log.debug("{} of {} chunks missing for user {} in workspace {}", missing.size(), distinct.size(), userId,
                workspaceId);
        return missing;
    }
}
