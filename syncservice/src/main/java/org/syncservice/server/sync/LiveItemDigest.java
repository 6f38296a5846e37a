package org.syncservice.server.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Computes the digest of a workspace's live items as protocol.md 7.19 defines it: SHA-256 over one
 * line {@code "<item_id>:<version>\n"} per live item in ascending item id order, in lower-case hex.
 * Items must be added in that order, since a client computes the same lines from its own copy and
 * any other order would give another digest. Not thread-safe: one instance per computation.
 */
public final class LiveItemDigest {
    private final MessageDigest sha256;
    private long count;
    private long lastItemId;

    public LiveItemDigest() {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** Adds one live item; item ids must ascend. */
    public void add(long itemId, long version) {
        if (itemId <= lastItemId) {
            throw new IllegalArgumentException("item ids must ascend: " + itemId + " after " + lastItemId);
        }
        lastItemId = itemId;
        count++;
        sha256.update((itemId + ":" + version + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** How many items were added. */
    public long count() {
        return count;
    }

    /** The digest of the items added so far; ends the computation. */
    public String hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
