package org.syncservice.server.storage;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.core.ServiceException;

/**
 * A back-end started by the first call that needs it rather than up front, so that an admin
 * command that never touches chunks (list-users, set-quota...) runs while storage is down and
 * prepares nothing there. {@link #check()} does not start it. A failed start is tried again on the
 * next call. Thread-safe.
 */
public final class StartedOnFirstUse implements ChunkStorage {
    private final ChunkStorage storage;
    private boolean started;

    /** @param storage a back-end not started yet; this object owns it from now on */
    public StartedOnFirstUse(ChunkStorage storage) {
        this.storage = storage;
    }

    private synchronized ChunkStorage started() {
        if (!started) {
            try {
                storage.start();
            } catch (ServiceException e) {
                throw e;
            } catch (Exception e) {
                throw Failures.unavailable("cannot start the " + storage.backend().name().toLowerCase(Locale.ROOT)
                        + " back-end", e);
            }
            started = true;
        }
        return storage;
    }

    @Override
    public StorageConfig.Backend backend() {
        return storage.backend();
    }

    @Override
    public void check() {
        storage.check();
    }

    /** Nothing to do: the first call that needs the back-end starts it. */
    @Override
    public void start() {
    }

    @Override
    public synchronized boolean isHealthy() {
        return !started || storage.isHealthy();
    }

    @Override
    public void provision(StorageLocation location) {
        started().provision(location);
    }

    @Override
    public void remove(StorageLocation location) {
        started().remove(location);
    }

    @Override
    public int copyChunks(StorageLocation from, StorageLocation to, Collection<String> chunks) {
        return started().copyChunks(from, to, chunks);
    }

    @Override
    public UploadChecks uploadChecks() {
        return started().uploadChecks();
    }

    @Override
    public boolean signsUrls() {
        return started().signsUrls();
    }

    @Override
    public SignedUrls signedUrls(StorageLocation location, List<String> chunks, StorageAccess access, Duration ttl,
                                 List<Long> sizes) {
        return started().signedUrls(location, chunks, access, ttl, sizes);
    }

    @Override
    public Set<String> missingChunks(StorageLocation location, Collection<String> chunks) {
        return started().missingChunks(location, chunks);
    }

    @Override
    public Map<String, StoredChunk> storedChunks(StorageLocation location, Collection<String> chunks) {
        return started().storedChunks(location, chunks);
    }

    @Override
    public void deleteChunks(StorageLocation location, Collection<String> chunks) {
        started().deleteChunks(location, chunks);
    }

    @Override
    public void close() {
        storage.close();
    }
}
