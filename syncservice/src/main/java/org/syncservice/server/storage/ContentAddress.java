package org.syncservice.server.storage;

import java.util.regex.Pattern;

/**
 * Chunk names that are the lower-case hex SHA-256 of the chunk's bytes, as the desktop client
 * names every chunk. Only for such names can a store be made to refuse other bytes (S3 checks a
 * signed {@code x-amz-content-sha256}); {@code limits.chunk-name-pattern} allows other names too,
 * which get the other safeguards only. Pure.
 */
public final class ContentAddress {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private ContentAddress() {
    }

    /** Whether {@code chunk} has the form of a lower-case hex SHA-256 (64 characters). */
    public static boolean isSha256(String chunk) {
        return SHA256_HEX.matcher(chunk).matches();
    }
}
