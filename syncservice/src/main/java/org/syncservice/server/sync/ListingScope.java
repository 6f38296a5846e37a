package org.syncservice.server.sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.syncservice.server.core.ServiceException;

/**
 * What a getChanges listing covers: the whole workspace, or the subtrees of some folders (each
 * chosen by item id, so a folder keeps its place in the selection when it moves) and the folders
 * above them. A cursor remembers the selection by its {@link #fingerprint}, so that it is never
 * continued with another one (docs/protocol.md 7.9). Immutable.
 */
public record ListingScope(SortedSet<Long> subtreeIds) {
    /** More subtrees are no longer a selection worth a listing of its own: sync the workspace. */
    public static final int MAX_SUBTREES = 64;
    public static final ListingScope WHOLE = new ListingScope(new TreeSet<>());
    private static final String FIELD = "get_changes.subtree_ids";

    public ListingScope {
        subtreeIds = Collections.unmodifiableSortedSet(new TreeSet<>(subtreeIds));
    }

    /**
     * The scope a request asks for: empty is the whole workspace; repeats count once.
     *
     * @throws ServiceException INVALID_ARGUMENT for a non-positive id or too many of them
     */
    public static ListingScope of(Collection<Long> requested) {
        if (requested.isEmpty()) {
            return WHOLE;
        }
        for (long id : requested) {
            if (id <= 0) {
                throw ServiceException.invalidArgument(FIELD, "subtree_ids holds " + id + ", no folder id (0, the root,"
                        + " is the whole workspace: leave subtree_ids empty for it)");
            }
        }
        ListingScope scope = new ListingScope(new TreeSet<>(requested));
        if (scope.subtreeIds.size() > MAX_SUBTREES) {
            throw ServiceException.invalidArgument(FIELD, "subtree_ids holds at most " + MAX_SUBTREES + " ids, got "
                    + scope.subtreeIds.size());
        }
        return scope;
    }

    public boolean whole() {
        return subtreeIds.isEmpty();
    }

    /** Refuses a selection whose ids are not all folders of the workspace ({@code folders}: those that are). */
    void requireFolders(Collection<Long> folders) {
        List<Long> missing = subtreeIds.stream().filter(id -> !folders.contains(id)).toList();
        if (!missing.isEmpty()) {
            throw ServiceException.invalidArgument(FIELD, "subtree_ids names no folder of this workspace: "
                    + missing.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " (a file, another workspace's item, or a deleted folder whose history was purged)");
        }
    }

    /**
     * Names the selection in a cursor: empty for the whole workspace, else 16 hex digits of a
     * SHA-256 over the sorted ids. The cursor's MAC covers it, so only a chance collision of two
     * selections (one in 2^64) could pass a cursor from one to the other.
     */
    String fingerprint() {
        if (whole()) {
            return "";
        }
        String ids = subtreeIds.stream().map(String::valueOf).collect(Collectors.joining(","));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ids.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
