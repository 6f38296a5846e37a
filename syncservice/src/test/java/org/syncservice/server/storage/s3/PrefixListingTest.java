package org.syncservice.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.syncservice.server.storage.StoredChunk;

class PrefixListingTest {
    private static final String PREFIX = "ws/";

    /** A prefix as S3 lists it, counting the requests made of it. */
    private static final class Bucket {
        final NavigableMap<String, StoredChunk> objects = new TreeMap<>();
        final int pageSize;
        int pages;
        int heads;

        Bucket(int pageSize) {
            this.pageSize = pageSize;
        }

        PrefixListing listing() {
            return new PrefixListing(startAfter -> {
                pages++;
                List<PrefixListing.Listed> page = new ArrayList<>();
                for (Map.Entry<String, StoredChunk> e : objects.tailMap(startAfter, false).entrySet()) {
                    if (page.size() == pageSize) {
                        return new PrefixListing.Page(page, true);
                    }
                    page.add(new PrefixListing.Listed(e.getKey(), e.getValue()));
                }
                return new PrefixListing.Page(page, false);
            }, chunk -> {
                heads++;
                return Optional.ofNullable(objects.get(PREFIX + chunk));
            });
        }

        void store(String chunk) {
            objects.put(PREFIX + chunk, new StoredChunk(chunk, chunk.length(), Instant.EPOCH));
        }
    }

    private static List<String> names(Random random, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(String.format("%016x%016x", random.nextLong(), random.nextLong()));
        }
        return names;
    }

    private static Map<String, String> keys(List<String> chunks) {
        Map<String, String> keys = new LinkedHashMap<>();
        chunks.forEach(c -> keys.put(c, PREFIX + c));
        return keys;
    }

    @Test
    void aLargeBatchInAnEmptyPrefixCostsOnePageAndNoHead() {
        Bucket bucket = new Bucket(1000);
        List<String> asked = names(new Random(1), 1000);

        assertThat(bucket.listing().stored(asked, keys(asked))).isEmpty();
        assertThat(bucket.pages).isEqualTo(1);
        assertThat(bucket.heads).isZero();
    }

    @Test
    void pagesStartAtTheNextChunkAskedSoUnaskedStretchesAreSkipped() {
        Bucket bucket = new Bucket(50);
        Random random = new Random(2);
        List<String> asked = new ArrayList<>();
        names(random, 100).forEach(n -> asked.add("1" + n));
        names(random, 100).forEach(n -> asked.add("9" + n));
        asked.forEach(bucket::store);
        names(random, 5000).forEach(n -> bucket.store("5" + n));

        Map<String, StoredChunk> stored = bucket.listing().stored(asked, keys(asked));

        assertThat(stored.keySet()).containsExactlyElementsOf(asked);
        // Two pages for each stretch of 100 asked chunks; none for the 5,000 between them.
        assertThat(bucket.pages).isEqualTo(4);
        assertThat(bucket.heads).isZero();
    }

    @Test
    void pagesAnsweringForFewChunksGiveWayToAHeadEach() {
        Bucket bucket = new Bucket(1000);
        Random random = new Random(3);
        List<String> asked = names(random, 100);
        asked.subList(0, 50).forEach(bucket::store);
        names(random, 100_000).forEach(bucket::store);

        Map<String, StoredChunk> stored = bucket.listing().stored(asked, keys(asked));

        assertThat(stored.keySet()).containsExactlyElementsOf(asked.subList(0, 50));
        assertThat(bucket.pages).isEqualTo(1);
        assertThat(bucket.heads).isLessThanOrEqualTo(asked.size());
    }

    @Test
    void aSmallBatchIsAHeadEach() {
        Bucket bucket = new Bucket(1000);
        List<String> asked = names(new Random(4), PrefixListing.LIST_FROM - 1);
        bucket.store(asked.get(3));

        assertThat(bucket.listing().stored(asked, keys(asked)).keySet()).containsExactly(asked.get(3));
        assertThat(bucket.pages).isZero();
        assertThat(bucket.heads).isEqualTo(asked.size());
    }

    @Test
    void theAnswerKeepsTheOrderAsked() {
        Bucket bucket = new Bucket(3);
        List<String> asked = names(new Random(5), 100);
        asked.forEach(bucket::store);

        assertThat(bucket.listing().stored(asked, keys(asked)).keySet()).containsExactlyElementsOf(asked);
    }

    @Test
    void listingAfterJustBeforeAKeyListsTheKey() {
        assertThat(PrefixListing.justBefore("ws/abc")).isEqualTo("ws/ab").isLessThan("ws/abc");
    }
}
