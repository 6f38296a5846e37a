package org.syncservice.server.testing;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.Failures;
import org.syncservice.server.storage.SignedUrl;
import org.syncservice.server.storage.SignedUrls;
import org.syncservice.server.storage.StorageAccess;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.storage.StoredChunk;

/**
 * Chunk storage for tests that are not about storage: remembers provisioned places, signs
 * nothing real ({@code https://storage.invalid/...}), and can be told to fail. Thread-safe.
 */
public final class InMemoryChunkStorage implements ChunkStorage {
    private final StorageConfig.Backend backend;
    private final Set<StorageLocation> places = ConcurrentHashMap.newKeySet();
    private final List<Copy> copies = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<StorageLocation, Map<String, StoredChunk>> chunks = new ConcurrentHashMap<>();
    private final List<String> deleted = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One {@link #copyChunks} call. */
    public record Copy(StorageLocation from, StorageLocation to, List<String> chunks) {
    }
    private volatile boolean failing;

    public InMemoryChunkStorage(StorageConfig.Backend backend) {
        this.backend = backend;
    }

    /** From now on every call fails as an unreachable back-end would (UNAVAILABLE). */
    public void failFromNowOn(boolean failing) {
        this.failing = failing;
    }

    public Set<StorageLocation> places() {
        return Set.copyOf(places);
    }

    /** Every copyChunks call so far, in order. */
    public List<Copy> copies() {
        return List.copyOf(copies);
    }

    /** Stores a chunk as a client's upload would, written now. */
    public void put(StorageLocation location, String chunk, long sizeBytes) {
        put(location, chunk, sizeBytes, Instant.now());
    }

    /** Stores a chunk as if uploaded at {@code writtenAt} (tests move time by back-dating). */
    public void put(StorageLocation location, String chunk, long sizeBytes, Instant writtenAt) {
        chunks.computeIfAbsent(location, l -> new ConcurrentHashMap<>())
                .put(chunk, new StoredChunk(chunk, sizeBytes, writtenAt));
    }

    /** Whether the chunk is stored in the place now. */
    public boolean holds(StorageLocation location, String chunk) {
        return chunks.getOrDefault(location, Map.of()).containsKey(chunk);
    }

    /** Every chunk name {@link #deleteChunks} was asked to delete, in order, repeats included. */
    public List<String> deletedChunks() {
        return List.copyOf(deleted);
    }

    @Override
    public void check() {
        if (failing) {
            throw Failures.unavailable("test storage is down", null);
        }
    }

    @Override
    public StorageConfig.Backend backend() {
        return backend;
    }

    @Override
    public void start() {
    }

    @Override
    public boolean isHealthy() {
        return !failing;
    }



    @Override
    public void close() {
    }

    @Override
    public void provision(StorageLocation location) {
        check();
        places.add(location);
    }

    @Override
    public void remove(StorageLocation location) {
        check();
        places.remove(location);
        chunks.remove(location);
    }

    @Override
    public int copyChunks(StorageLocation from, StorageLocation to, Collection<String> chunks) {
        check();
        copies.add(new Copy(from, to, List.copyOf(chunks)));
        return chunks.size();
    }

    @Override
    public boolean signsUrls() {
        return true;
    }

    @Override
    public SignedUrls signedUrls(StorageLocation location, List<String> chunks, StorageAccess access, Duration ttl,
                                 List<Long> sizes) {
        check();
        if (!places.contains(location)) {
            throw ServiceException.notFound("no such place");
        }
        List<SignedUrl> urls = new ArrayList<>();
        for (String chunk : chunks) {
            urls.add(new SignedUrl(chunk, URI.create("https://storage.invalid/" + location.container() + "/"
                    + location.objectName(chunk)), access.method(), Map.of()));
        }
        return new SignedUrls(urls, Clock.systemUTC().instant().plus(ttl));
    }

    /** Every chunk not {@link #put} there (so, without puts, all of them). */
    @Override
    public Set<String> missingChunks(StorageLocation location, Collection<String> chunks) {
        check();
        Set<String> missing = new LinkedHashSet<>(chunks);
        missing.removeAll(this.chunks.getOrDefault(location, Map.of()).keySet());
        return missing;
    }

    @Override
    public Map<String, StoredChunk> storedChunks(StorageLocation location, Collection<String> chunks) {
        check();
        Map<String, StoredChunk> here = this.chunks.getOrDefault(location, Map.of());
        Map<String, StoredChunk> stored = new LinkedHashMap<>();
        for (String chunk : chunks) {
            StoredChunk found = here.get(chunk);
            if (found != null) {
                stored.put(chunk, found);
            }
        }
        return stored;
    }

    @Override
    public void deleteChunks(StorageLocation location, Collection<String> chunks) {
        check();
        deleted.addAll(chunks);
        this.chunks.getOrDefault(location, new ConcurrentHashMap<>()).keySet().removeAll(chunks);
    }
}
