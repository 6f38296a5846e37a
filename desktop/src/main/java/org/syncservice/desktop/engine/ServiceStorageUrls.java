package org.syncservice.desktop.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.desktop.content.StorageUrls;
import org.syncservice.protocol.v1.GetMissingChunksRequest;
import org.syncservice.protocol.v1.GetStorageUrlsRequest;
import org.syncservice.protocol.v1.GetStorageUrlsResponse;
import org.syncservice.protocol.v1.SignedUrl;
import org.syncservice.protocol.v1.StorageAccess;

/**
 * Signed URLs and chunk presence for one workspace, asked of the service. Against a service that
 * does not offer {@code get_missing_chunks}, every chunk counts as missing (uploading a chunk again
 * is harmless: it is named by its content).
 *
 * <p>A round that moves many small files would otherwise ask twice per file; {@link #prepare}
 * asks once for all of a round's chunks (in requests of {@link #PREPARE_BATCH}), and the answers
 * serve the files' own questions until {@link #forget} or until the URLs are about to expire.
 * Thread-safe (the SDK client is; the prepared answers are concurrent maps).
 */
final class ServiceStorageUrls implements StorageUrls {
    /** Chunks per prepared request: a thousand signed URLs are well within a message's limit. */
    static final int PREPARE_BATCH = 1000;
    /** A prepared URL is not handed out closer than this to its expiry. */
    static final long EXPIRY_MARGIN_MS = 60_000;

    private final SyncClient client;
    private final String workspaceId;
    private final boolean missingOffered;
    private final int maxChunksPerRequest;
    /** Prepared presence: chunk name to whether storage lacks it. */
    private final Map<String, Boolean> lacking = new ConcurrentHashMap<>();
    private final Map<StorageAccess, Map<String, SignedUrl>> prepared = new EnumMap<>(StorageAccess.class);
    private final Map<StorageAccess, Long> validUntil = new ConcurrentHashMap<>();

    ServiceStorageUrls(SyncClient client, String workspaceId, boolean missingOffered, int maxChunksPerRequest) {
        this.client = client;
        this.workspaceId = workspaceId;
        this.missingOffered = missingOffered;
        this.maxChunksPerRequest = maxChunksPerRequest;
        for (StorageAccess access : List.of(StorageAccess.STORAGE_ACCESS_READ, StorageAccess.STORAGE_ACCESS_WRITE)) {
            prepared.put(access, new ConcurrentHashMap<>());
        }
    }

    /**
     * Learns, in a few requests, what a round's transfers will ask: for uploads which chunks storage
     * lacks and WRITE URLs for those, for downloads READ URLs.
     */
    void prepare(StorageAccess access, Collection<String> chunks) throws IOException {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(chunks));
        List<String> wanted = distinct;
        if (access == StorageAccess.STORAGE_ACCESS_WRITE) {
            for (List<String> batch : batches(distinct, Math.min(PREPARE_BATCH, maxChunksPerRequest))) {
                Set<String> missing = ask(batch);
                batch.forEach(c -> lacking.put(c, missing.contains(c)));
            }
            wanted = distinct.stream().filter(c -> lacking.getOrDefault(c, true)).toList();
        }
        Map<String, SignedUrl> urls = prepared.get(access);
        long until = Long.MAX_VALUE;
        for (List<String> batch : batches(wanted, Math.min(PREPARE_BATCH, maxChunksPerRequest))) {
            GetStorageUrlsResponse response = signed(access, batch);
            response.getUrlsList().forEach(u -> urls.put(u.getChunk(), u));
            until = Math.min(until, response.getExpiresAtMs() - EXPIRY_MARGIN_MS);
        }
        validUntil.put(access, until);
    }

    /** Drops what {@link #prepare} learnt (at the end of a round: storage may change meanwhile). */
    void forget() {
        lacking.clear();
        prepared.values().forEach(Map::clear);
        validUntil.clear();
    }

    @Override
    public List<SignedUrl> urls(StorageAccess access, List<String> chunks) throws IOException {
        Map<String, SignedUrl> urls = prepared.get(access);
        if (urls != null && System.currentTimeMillis() < validUntil.getOrDefault(access, 0L)) {
            List<SignedUrl> known = new ArrayList<>(chunks.size());
            for (String chunk : new LinkedHashSet<>(chunks)) {
                SignedUrl url = urls.get(chunk);
                if (url == null) {
                    known = null;
                    break;
                }
                known.add(url);
            }
            if (known != null) {
                return known;
            }
        }
        return signed(access, chunks).getUrlsList();
    }

    @Override
    public Set<String> missing(List<String> chunks) throws IOException {
        Set<String> missing = new LinkedHashSet<>();
        for (String chunk : chunks) {
            Boolean lacks = lacking.get(chunk);
            if (lacks == null) {
                return ask(chunks);
            }
            if (lacks) {
                missing.add(chunk);
            }
        }
        return missing;
    }

    private Set<String> ask(List<String> chunks) throws IOException {
        if (!missingOffered) {
            return new LinkedHashSet<>(chunks);
        }
        try {
            return new LinkedHashSet<>(Retries.call(() -> client.getMissingChunks(GetMissingChunksRequest.newBuilder()
                    .setWorkspaceId(workspaceId).addAllChunks(chunks).build()).getMissingList()));
        } catch (SyncServiceException e) {
            throw new IOException("get_missing_chunks failed: " + e.getMessage(), e);
        }
    }

    private GetStorageUrlsResponse signed(StorageAccess access, List<String> chunks) throws IOException {
        try {
            return Retries.call(() -> client.getStorageUrls(GetStorageUrlsRequest.newBuilder()
                    .setWorkspaceId(workspaceId).setAccess(access).addAllChunks(chunks).build()));
        } catch (SyncServiceException e) {
            throw new IOException("get_storage_urls failed: " + e.getMessage(), e);
        }
    }

    private static <T> List<List<T>> batches(List<T> all, int size) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < all.size(); from += size) {
            batches.add(all.subList(from, Math.min(all.size(), from + size)));
        }
        return batches;
    }
}
