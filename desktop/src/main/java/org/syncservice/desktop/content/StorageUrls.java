package org.syncservice.desktop.content;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.syncservice.protocol.v1.SignedUrl;
import org.syncservice.protocol.v1.StorageAccess;

/**
 * What {@link ChunkTransfer} needs from the service for one workspace: signed URLs for chunks
 * ({@code get_storage_urls}) and which chunks the storage lacks. The engine implements it over the
 * SDK's {@code SyncClient}. {@link ChunkTransfer} never asks about more chunks at once than its
 * {@link ChunkTransfer.Settings#maxChunksPerRequest()}.
 *
 * <p>Implementations must be thread-safe: transfer workers ask for a fresh URL when one expired.
 */
public interface StorageUrls {

    /** One URL per distinct chunk named, for {@code access}: READ gives GETs, WRITE gives PUTs. */
    List<SignedUrl> urls(StorageAccess access, List<String> chunks) throws IOException;

    /** The chunks of {@code chunks} that the storage does not hold. */
    Set<String> missing(List<String> chunks) throws IOException;
}
