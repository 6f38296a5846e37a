package org.syncservice.server.storage;

import java.util.List;
import java.util.regex.Pattern;
import org.syncservice.server.core.ChunkNamePattern;
import org.syncservice.server.core.ServiceException;

/**
 * The chunk names one request may carry: 1 to {@code limits.max-chunks-per-item}, each matching
 * {@code limits.chunk-name-pattern}, so that every name is safe as an object key, URL path segment
 * or file name. Immutable; thread-safe.
 */
final class ChunkNameRules {
    private final ChunkNamePattern chunkNamePattern;
    private final int maxChunks;

    ChunkNameRules(Pattern chunkNamePattern, int maxChunks) {
        this.chunkNamePattern = ChunkNamePattern.of(chunkNamePattern);
        this.maxChunks = maxChunks;
    }

    /**
     * @param field the request field the chunks came in ("get_storage_urls.chunks"); a bad name is
     *              reported as {@code field[i]}
     * @throws ServiceException INVALID_ARGUMENT for no chunks, too many, or a bad name
     */
    void check(List<String> chunks, String field) {
        if (chunks.isEmpty()) {
            throw ServiceException.invalidArgument(field, "name at least one chunk");
        }
        if (chunks.size() > maxChunks) {
            throw ServiceException.invalidArgument(field,
                    "at most " + maxChunks + " chunks per request (max_chunks_per_item), got " + chunks.size());
        }
        for (int i = 0; i < chunks.size(); i++) {
            if (!chunkNamePattern.matches(chunks.get(i))) {
                throw ServiceException.invalidArgument(field + "[" + i + "]",
                        "chunk name does not match chunk_name_pattern " + chunkNamePattern.pattern());
            }
        }
    }
}
