package org.syncservice.server.storage.s3;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.syncservice.server.storage.StoredChunk;

/**
 * Finds which of many chunks a workspace's prefix holds by listing the prefix in key order instead
 * of asking for each chunk: one LIST page answers for every wanted chunk within its key range, and
 * each page starts just before the next wanted chunk not yet answered, so stretches of the prefix
 * with nothing wanted are skipped. A HEAD per chunk costs a round trip (and, for an absent chunk,
 * an exception in the SDK); a page costs one round trip for up to a thousand keys.
 *
 * <p>A prefix much larger than what is asked would make pages that answer for few wanted chunks;
 * once a page answers for fewer than {@link #PAGE_WORTH}, the chunks left are asked one by one,
 * so a call never costs more than one page beyond what asking each chunk would. Small batches
 * (fewer than {@link #LIST_FROM} chunks) are asked one by one from the start.
 *
 * <p>Keys are compared by code point, which is the UTF-8 byte order that S3 lists in. Stateless
 * apart from its two functions; thread-safe when they are.
 */
final class PrefixListing {
    /** Below this many chunks, a HEAD each: a page would not pay for itself. */
    static final int LIST_FROM = 32;
    /** A page answering for fewer wanted chunks than this stops the listing. */
    static final int PAGE_WORTH = 32;

    /** Lists keys after {@code startAfter} under the prefix, in key order, one page. */
    @FunctionalInterface
    interface Pages {
        Page after(String startAfter);
    }

    /** One page of a listing: objects in key order, and whether more follow. */
    record Page(List<Listed> objects, boolean truncated) {
    }

    /** One listed object. */
    record Listed(String key, StoredChunk asChunk) {
    }

    /** Asks for one object: its chunk when present. */
    @FunctionalInterface
    interface Heads {
        Optional<StoredChunk> head(String chunk);
    }

    private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private final Pages pages;
    private final Heads heads;

    PrefixListing(Pages pages, Heads heads) {
        this.pages = pages;
        this.heads = heads;
    }

    /**
     * The stored chunks among {@code chunks}, in the order given.
     *
     * @param objectNames each chunk's object key (prefix and chunk name)
     */
    Map<String, StoredChunk> stored(List<String> chunks, Map<String, String> objectNames) {
        Map<String, StoredChunk> found = new HashMap<>();
        List<String> byKey = new ArrayList<>(chunks);
        byKey.sort(Comparator.comparing(objectNames::get, CODE_POINT_ORDER));
        int next = 0;
        if (byKey.size() >= LIST_FROM) {
            while (next < byKey.size()) {
                Page page = pages.after(justBefore(objectNames.get(byKey.get(next))));
                if (page.truncated() && page.objects().isEmpty()) {
                    break; // says nothing of where it ends: ask the rest one by one
                }
                Map<String, StoredChunk> listed = new HashMap<>();
                for (Listed object : page.objects()) {
                    listed.put(object.key(), object.asChunk());
                }
                String last = page.truncated() && !page.objects().isEmpty()
                        ? page.objects().get(page.objects().size() - 1).key() : null;
                int answered = 0;
                while (next < byKey.size()) {
                    String key = objectNames.get(byKey.get(next));
                    if (last != null && CODE_POINT_ORDER.compare(key, last) > 0) {
                        break;
                    }
                    StoredChunk chunk = listed.get(key);
                    if (chunk != null) {
                        found.put(byKey.get(next), chunk);
                    }
                    next++;
                    answered++;
                }
                if (answered < PAGE_WORTH) {
                    break;
                }
            }
        }
        for (; next < byKey.size(); next++) {
            String chunk = byKey.get(next);
            heads.head(chunk).ifPresent(stored -> found.put(chunk, stored));
        }
        Map<String, StoredChunk> inOrder = new LinkedHashMap<>();
        for (String chunk : chunks) {
            StoredChunk stored = found.get(chunk);
            if (stored != null) {
                inOrder.put(chunk, stored);
            }
        }
        return inOrder;
    }

    /**
     * A key that sorts before {@code key} and after nothing that sorts between it and {@code key}
     * but keys starting with it: {@code key} without its last code point. Listing after it lists
     * {@code key} itself.
     */
    static String justBefore(String key) {
        return key.substring(0, key.offsetByCodePoints(key.length(), -1));
    }
}
