package org.syncservice.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A local copy of a workspace summed up the way {@code get_workspace_digest} sums up the server's
 * (protocol.md 7.19): the number of live items and the lower-case hex SHA-256 over one line
 * {@code "<item_id>:<version>\n"} per live item, in ascending item id order. An application that
 * wants its copy checked returns one from {@link NotificationHandler#localDigest}. Immutable.
 *
 * @param liveItemCount how many live (not deleted) items the copy holds
 * @param digest the lower-case hex digest of those items
 */
public record WorkspaceDigest(long liveItemCount, String digest) {

    public WorkspaceDigest {
        Objects.requireNonNull(digest, "digest");
    }

    /**
     * Computes the digest of a copy.
     *
     * @param liveVersions the latest version of every live item of the copy, by item id
     * @return the copy's digest
     */
    public static WorkspaceDigest of(Map<Long, Long> liveVersions) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        Map<Long, Long> ordered = liveVersions instanceof TreeMap<Long, Long> sorted && sorted.comparator() == null
                ? sorted : new TreeMap<>(liveVersions);
        for (Map.Entry<Long, Long> item : ordered.entrySet()) {
            sha256.update((item.getKey() + ":" + item.getValue() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        return new WorkspaceDigest(ordered.size(), HexFormat.of().formatHex(sha256.digest()));
    }
}
