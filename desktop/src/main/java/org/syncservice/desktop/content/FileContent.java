package org.syncservice.desktop.content;

import java.util.List;
import java.util.Objects;

/**
 * What a file holds, as the service records it: the whole file's checksum, its size and its
 * content-defined chunks in order, each named by the hex SHA-256 of its bytes. Immutable.
 *
 * @param checksum {@code "sha256:<hex>"} of the whole file
 * @param size the size in bytes
 * @param chunks the chunk names in file order (empty for an empty file)
 * @param chunkSizes the size of each chunk, in the same order
 */
public record FileContent(String checksum, long size, List<String> chunks, List<Long> chunkSizes) {

    public FileContent {
        Objects.requireNonNull(checksum, "checksum");
        chunks = List.copyOf(chunks);
        chunkSizes = List.copyOf(chunkSizes);
        if (chunks.size() != chunkSizes.size()) {
            throw new IllegalArgumentException("one size per chunk");
        }
    }

    /** Where chunk {@code index} starts in the file. */
    public long offsetOf(int index) {
        Objects.checkIndex(index, chunks.size());
        long offset = 0;
        for (int i = 0; i < index; i++) {
            offset += chunkSizes.get(i);
        }
        return offset;
    }
}
