package org.syncservice.server.testing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.SignedUrls;
import org.syncservice.server.storage.StorageAccess;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.storage.StoredChunk;

/**
 * Chunk storage whose {@link #copyChunks} waits until {@link #release()}: a back-end that is slow
 * to copy (a share's copy with retries), to watch what else an instance serves meanwhile. Every
 * other call goes straight to the storage it wraps. Thread-safe.
 */
public final class BlockingCopyStorage implements ChunkStorage {
    private static final Duration LONGEST_BLOCK = Duration.ofMinutes(1);

    private final ChunkStorage storage;
    private final CountDownLatch copying = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    public BlockingCopyStorage(ChunkStorage storage) {
        this.storage = storage;
    }

    /** Waits until a copy is blocked in this storage; false if none came within {@code timeout}. */
    public boolean awaitCopying(Duration timeout) throws InterruptedException {
        return copying.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets every blocked copy, and every later one, go on. */
    public void release() {
        released.countDown();
    }

    @Override
    public int copyChunks(StorageLocation from, StorageLocation to, Collection<String> chunks) {
        copying.countDown();
        try {
            // Bounded, so that a test that never releases does not leave a thread behind for good.
            released.await(LONGEST_BLOCK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return storage.copyChunks(from, to, chunks);
    }

    @Override
    public StorageConfig.Backend backend() {
        return storage.backend();
    }

    @Override
    public void provision(StorageLocation location) {
        storage.provision(location);
    }

    @Override
    public void remove(StorageLocation location) {
        storage.remove(location);
    }

    @Override
    public boolean signsUrls() {
        return storage.signsUrls();
    }

    @Override
    public SignedUrls signedUrls(StorageLocation location, List<String> chunks, StorageAccess access, Duration ttl,
                                 List<Long> sizes) {
        return storage.signedUrls(location, chunks, access, ttl, sizes);
    }

    @Override
    public Set<String> missingChunks(StorageLocation location, Collection<String> chunks) {
        return storage.missingChunks(location, chunks);
    }

    @Override
    public Map<String, StoredChunk> storedChunks(StorageLocation location, Collection<String> chunks) {
        return storage.storedChunks(location, chunks);
    }

    @Override
    public void deleteChunks(StorageLocation location, Collection<String> chunks) {
        storage.deleteChunks(location, chunks);
    }

    @Override
    public void start() throws Exception {
        storage.start();
    }

    @Override
    public void check() {
        storage.check();
    }

    @Override
    public boolean isHealthy() {
        return storage.isHealthy();
    }

    @Override
    public void close() {
        release();
        storage.close();
    }
}
