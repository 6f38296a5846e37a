package org.syncservice.server.sync;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.syncservice.server.core.ChunkNamePattern;

/**
 * The per-item limits of a commit, other than names: chunk lists, sizes and the lengths of the
 * free-text fields. Thread-safe (immutable).
 */
public final class ChangeLimits {
    static final int MAX_TEMP_ID_LENGTH = 64;
    static final int MAX_MIME_TYPE_LENGTH = 255;
    static final int MAX_CHECKSUM_LENGTH = 255;
    /** 9999-12-31T23:59:59.999Z: later times do not fit a PostgreSQL timestamp (nor any file system). */
    static final long MAX_MODIFIED_AT_MS = 253_402_300_799_999L;

    private final int maxChunksPerItem;
    private final long maxFileSizeBytes;
    private final ChunkNamePattern chunkNamePattern;

    public ChangeLimits(int maxChunksPerItem, long maxFileSizeBytes, Pattern chunkNamePattern) {
        this.maxChunksPerItem = maxChunksPerItem;
        this.maxFileSizeBytes = maxFileSizeBytes;
        this.chunkNamePattern = ChunkNamePattern.of(chunkNamePattern);
    }

    /** @return why the chunk list is not allowed, or empty when it is */
    Optional<String> chunkProblem(List<String> chunks) {
        if (chunks.size() > maxChunksPerItem) {
            return Optional.of(chunks.size() + " chunks; the limit is " + maxChunksPerItem);
        }
        for (int i = 0; i < chunks.size(); i++) {
            if (!chunkNamePattern.matches(chunks.get(i))) {
                return Optional.of("chunk " + i + " does not match the chunk name pattern " + chunkNamePattern.pattern());
            }
        }
        return Optional.empty();
    }

    /** Text without control characters (which PostgreSQL's text, for NUL, cannot even hold). */
    static boolean isPlainText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** @return why a field other than name and chunks is not allowed, or empty when all are */
    Optional<String> fieldProblem(ItemChange change) {
        if (change.size() < 0 || change.size() > maxFileSizeBytes) {
            return Optional.of("size " + change.size() + " is outside 0.." + maxFileSizeBytes);
        }
        if (change.folder() && (change.size() != 0 || !change.chunks().isEmpty())) {
            return Optional.of("a folder has no size and no chunks");
        }
        if (!isPlainText(change.mimeType()) || !isPlainText(change.checksum())) {
            return Optional.of("mime_type and checksum must not contain control characters");
        }
        if (change.mimeType().length() > MAX_MIME_TYPE_LENGTH) {
            return Optional.of("mime_type is longer than " + MAX_MIME_TYPE_LENGTH + " characters");
        }
        if (change.checksum().length() > MAX_CHECKSUM_LENGTH) {
            return Optional.of("checksum is longer than " + MAX_CHECKSUM_LENGTH + " characters");
        }
        if (change.modifiedAtMs() < 0) {
            return Optional.of("modified_at_ms is negative");
        }
        if (change.modifiedAtMs() > MAX_MODIFIED_AT_MS) {
            return Optional.of("modified_at_ms is after the year 9999");
        }
        if (change.tempId().length() > MAX_TEMP_ID_LENGTH || change.parentTempId().length() > MAX_TEMP_ID_LENGTH) {
            return Optional.of("temporary ids are at most " + MAX_TEMP_ID_LENGTH + " characters");
        }
        return Optional.empty();
    }
}
