package org.syncservice.server.sync;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What storage holds of the chunks a commit names, when the operator asked for that check
 * ({@code storage.verify-chunks}): the size of each stored one. Unchecked, every chunk is taken on
 * trust and so is every declared size. Immutable.
 *
 * @param checked whether storage was asked at all
 * @param sizes   the stored chunks among those asked, with their sizes in bytes
 */
public record StoredChunkSizes(boolean checked, Map<String, Long> sizes) {
    /** Storage was not asked. */
    public static final StoredChunkSizes UNCHECKED = new StoredChunkSizes(false, Map.of());

    public StoredChunkSizes {
        sizes = Map.copyOf(sizes);
    }

    /** The answer of a check that found {@code sizes} (every chunk asked for and not in it is missing). */
    public static StoredChunkSizes of(Map<String, Long> sizes) {
        return new StoredChunkSizes(true, sizes);
    }

    /** Whether the check found {@code chunk} absent (never, unchecked). */
    boolean missing(String chunk) {
        return checked && !sizes.containsKey(chunk);
    }

    /**
     * The bytes a file made of {@code chunks} holds in storage, a chunk named twice counted twice
     * (a file may repeat content); empty when unchecked or a chunk is missing.
     */
    OptionalLong bytesOf(List<String> chunks) {
        if (!checked) {
            return OptionalLong.empty();
        }
        long total = 0;
        for (String chunk : chunks) {
            Long size = sizes.get(chunk);
            if (size == null) {
                return OptionalLong.empty();
            }
            total += size;
        }
        return OptionalLong.of(total);
    }
}
