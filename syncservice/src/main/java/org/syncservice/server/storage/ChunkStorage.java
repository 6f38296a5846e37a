package org.syncservice.server.storage;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.core.Lifecycle;

/**
 * The back-end that holds the chunks of every workspace (S3, Swift or FTP). The service never
 * moves chunk bytes itself: it prepares the place of a workspace ({@link #provision}), removes it
 * and hands members short-lived signed URLs ({@link #signedUrls}), the only way clients reach
 * S3 and Swift: no back-end identity is granted access to a place (docs/storage.md). A chunk
 * named {@code c} of a workspace is the
 * object {@link StorageLocation#objectName(String) location.prefix() + c} in
 * {@code location.container()}.
 *
 * <p>Failures to reach the back-end are {@link org.syncservice.server.core.ServiceException}s of
 * kind UNAVAILABLE; an operation the back-end's model does not have is kind UNIMPLEMENTED.
 * Implementations are thread-safe. {@link #start()} must succeed before any other call.
 */
public interface ChunkStorage extends Lifecycle {

    /** The back-end this is; locations of another back-end are refused. */
    StorageConfig.Backend backend();

    /**
     * Checks that the back-end answers and that the configured place of chunks (the S3 bucket, the
     * Swift account, the FTP login) is there, changing nothing: no bucket is created, no key set.
     * For {@code status} and the readiness check; works without {@link #start()}, which is what
     * prepares the place. Costs one or two back-end requests.
     *
     * @throws org.syncservice.server.core.ServiceException UNAVAILABLE saying what failed
     */
    void check();

    /**
     * Creates the place of a workspace's chunks (Swift container, FTP directory; S3 needs only the
     * shared bucket). Idempotent: provisioning an existing place succeeds and keeps its chunks.
     */
    void provision(StorageLocation location);

    /** Deletes the place and every chunk in it. Removing a place that does not exist succeeds. */
    void remove(StorageLocation location);

    /**
     * Copies chunks from one place to another on the back-end itself (the bytes do not pass
     * through clients). A chunk already in {@code to} is never replaced: chunk names are content
     * hashes only by the clients' convention, so the copy in {@code from} (a shared workspace any
     * member writes to) may hold other bytes than the one {@code to} has, and replacing it would
     * spread one member's bad upload into another place's intact files. A chunk missing from
     * {@code from} is skipped: a client that never uploaded it has nothing to share, and the copy
     * must not fail a share for that. Idempotent: safe to repeat after a partial failure.
     *
     * @return how many chunks were copied (found in {@code from} and not yet in {@code to})
     */
    int copyChunks(StorageLocation from, StorageLocation to, Collection<String> chunks);

    /** What the storage enforces on uploads through this back-end's WRITE URLs; none by default. */
    default UploadChecks uploadChecks() {
        return UploadChecks.NONE;
    }

    /** Whether {@link #signedUrls} can work with this back-end and configuration. */
    boolean signsUrls();

    /**
     * Signs one URL per chunk for the given access, valid for {@code ttl} from now, with no
     * declared sizes.
     *
     * @throws org.syncservice.server.core.ServiceException UNIMPLEMENTED when {@link #signsUrls()} is false
     */
    default SignedUrls signedUrls(StorageLocation location, List<String> chunks, StorageAccess access,
                                  Duration ttl) {
        return signedUrls(location, chunks, access, ttl, List.of());
    }

    /**
     * Signs one URL per chunk for the given access, valid for {@code ttl} from now. A WRITE URL is
     * signed for as much of these as the back-end can hold the uploader to (docs/storage.md,
     * "Uploads that cannot corrupt"): no overwrite of a stored chunk, the chunk's SHA-256 when its
     * name is one ({@link ContentAddress}), and its length when {@code sizes} gives it. The headers
     * a request must carry for that are in each {@link SignedUrl}.
     *
     * @param sizes for WRITE, the byte length of each chunk in the order of {@code chunks}, or
     *              empty when the client did not declare them; empty for READ
     * @throws org.syncservice.server.core.ServiceException UNIMPLEMENTED when {@link #signsUrls()} is false
     */
    SignedUrls signedUrls(StorageLocation location, List<String> chunks, StorageAccess access, Duration ttl,
                          List<Long> sizes);

    /**
     * The chunks among {@code chunks} that are not stored in the place (for the optional
     * verification of chunks at commit time, and for clients that upload only what storage lacks).
     * Costs at most about one back-end request per chunk (S3 lists the workspace's prefix for a
     * large batch instead: a request per thousand keys).
     */
    Set<String> missingChunks(StorageLocation location, Collection<String> chunks);

    /**
     * The chunks among {@code chunks} that are stored in the place, with their size and when their
     * object was last written (an upload of the same content again renews it). For the chunk
     * collector, which removes only chunks written longer ago than its grace period. Costs at most
     * about one back-end request per chunk (FTP: one listing; S3 for a large batch: pages of a
     * listing).
     */
    Map<String, StoredChunk> storedChunks(StorageLocation location, Collection<String> chunks);

    /**
     * Deletes chunks from the place. Idempotent: a chunk already absent is no error. The caller
     * has made sure nothing kept references them (chunks are shared by content).
     */
    void deleteChunks(StorageLocation location, Collection<String> chunks);
}
