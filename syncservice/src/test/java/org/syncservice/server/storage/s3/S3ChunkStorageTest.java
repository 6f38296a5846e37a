package org.syncservice.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.server.config.Secret;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.ChunkStorageContract;
import org.syncservice.server.storage.SignedUrl;
import org.syncservice.server.storage.StorageAccess;
import org.syncservice.server.storage.StorageLayout;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.testing.RefusedUploads;

/** The storage contract on S3, against S3Proxy in this JVM. */
class S3ChunkStorageTest extends ChunkStorageContract {
    private static TestS3Server server;
    private static StorageConfig config;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestS3Server.start();
        config = new StorageConfig(StorageConfig.Backend.S3, Duration.ofMinutes(15), false,
                new StorageConfig.S3(server.endpoint(), "us-east-1", "chunks-" + UUID.randomUUID(),
                        TestS3Server.ACCESS_KEY, Secret.of(TestS3Server.SECRET_KEY), true),
                null, null);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected ChunkStorage newStorage() {
        S3ChunkStorage storage = new S3ChunkStorage(config.s3(), Clock.systemUTC());
        storage.start();
        return storage;
    }

    /**
     * Pages of seven keys: a batch is answered by several pages, each starting at the next chunk
     * asked, and by HEADs once pages answer for few chunks each.
     */
    @Test
    void batchesAnsweredOverManyListingPagesAndHeadsAreExact() throws Exception {
        S3ChunkStorage paged = new S3ChunkStorage(config.s3(), Clock.systemUTC(), 7);
        paged.start();
        try {
            storage.provision(location);
            List<String> sparse = new ArrayList<>();
            Set<String> stored = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                String chunk = chunkName();
                sparse.add(chunk);
                if (i % 10 == 0) {
                    putChunk(location, chunk, new byte[] {1, 2});
                    stored.add(chunk);
                }
            }
            List<String> dense = new ArrayList<>(stored);
            for (int i = 0; i < 10; i++) {
                dense.add(chunkName());
            }

            for (List<String> asked : List.of(sparse, dense)) {
                assertThat(paged.missingChunks(location, asked))
                        .containsExactlyElementsOf(asked.stream().filter(c -> !stored.contains(c)).toList());
                assertThat(paged.storedChunks(location, asked).keySet())
                        .containsExactlyElementsOf(asked.stream().filter(stored::contains).toList());
            }
        } finally {
            paged.close();
        }
    }

    /**
     * Other bytes under a chunk's SHA-256 name would corrupt every file that names the chunk. The
     * URL holds only for a request that claims the name's hash as its payload's
     * ({@code x-amz-content-sha256}), which AWS S3 checks against the body. S3Proxy does not check
     * the body of presigned requests, so here the test sees the signature bind the claim: a
     * request with the other bytes' true hash, or with none, is refused.
     */
    @Test
    void aWriteUrlOfAChunkNamedByItsSha256HoldsOnlyForThatHash() throws Exception {
        storage.provision(location);
        byte[] content = "the bytes of a chunk".getBytes(StandardCharsets.UTF_8);
        byte[] other = "other bytes".getBytes(StandardCharsets.UTF_8);
        String chunk = sha256(content);
        SignedUrl write = storage.signedUrls(location, List.of(chunk), StorageAccess.WRITE, Duration.ofMinutes(5))
                .urls().get(0);
        assertThat(write.headers()).containsEntry("x-amz-content-sha256", chunk);
        Map<String, String> otherHash = new HashMap<>(write.headers());
        otherHash.put("x-amz-content-sha256", sha256(other));
        Map<String, String> noHash = new HashMap<>(write.headers());
        noHash.remove("x-amz-content-sha256");

        assertThat(send(new SignedUrl(chunk, write.url(), "PUT", otherHash), other).statusCode()).isEqualTo(403);
        assertThat(send(new SignedUrl(chunk, write.url(), "PUT", noHash), other).statusCode()).isEqualTo(403);
        assertThat(storage.missingChunks(location, List.of(chunk))).containsExactly(chunk);

        assertThat(send(write, content).statusCode()).isEqualTo(200);
        assertThat(storage.storedChunks(location, List.of(chunk)).get(chunk).sizeBytes()).isEqualTo(content.length);
    }

    /** A name that is no SHA-256 gets no hash to claim: the store could not hold it to one. */
    @Test
    void aWriteUrlOfAChunkNotNamedByASha256ClaimsNoHash() {
        storage.provision(location);
        SignedUrl write = storage.signedUrls(location, List.of(chunkName()), StorageAccess.WRITE,
                Duration.ofMinutes(5)).urls().get(0);

        assertThat(write.headers()).containsOnlyKeys("if-none-match");
    }

    /** The case: a MiB PUT through the URL of a 16-byte chunk. */
    @Test
    void aWriteUrlWithADeclaredSizeTakesOnlyThatLength() throws Exception {
        storage.provision(location);
        String chunk = chunkName();
        SignedUrl write = storage.signedUrls(location, List.of(chunk), StorageAccess.WRITE, Duration.ofMinutes(5),
                List.of(16L)).urls().get(0);
        assertThat(write.headers()).containsEntry("content-length", "16");

        assertThat(RefusedUploads.status(HTTP, request(write, new byte[1 << 20]))).isIn(403, RefusedUploads.CUT);
        assertThat(send(write, new byte[15]).statusCode()).isEqualTo(403);
        assertThat(storage.missingChunks(location, List.of(chunk))).containsExactly(chunk);

        assertThat(send(write, new byte[16]).statusCode()).isEqualTo(200);
    }

    /**
     * The no-overwrite condition is signed: a holder cannot drop it. (AWS S3 then answers 412 for
     * a stored chunk; S3Proxy ignores If-None-Match on PUT, see {@link #storeRefusesOverwrites}.)
     */
    @Test
    void aWriteUrlSentWithoutItsHeadersIsRefused() throws Exception {
        storage.provision(location);
        String chunk = chunkName();
        putChunk(location, chunk, "first".getBytes(StandardCharsets.UTF_8));
        SignedUrl write = storage.signedUrls(location, List.of(chunk), StorageAccess.WRITE, Duration.ofMinutes(5))
                .urls().get(0);
        SignedUrl stripped = new SignedUrl(chunk, write.url(), write.method(), Map.of());

        assertThat(send(stripped, "second".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(403);

        assertThat(storage.storedChunks(location, List.of(chunk)).get(chunk).sizeBytes()).isEqualTo(5);
    }

    /** S3Proxy 2.6.0 ignores If-None-Match on PUT (its blob stores have no conditional put). */
    @Override
    protected boolean storeRefusesOverwrites() {
        return false;
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    @Override
    protected StorageLocation newLocation() {
        return new StorageLayout(config).locationFor(UUID.randomUUID());
    }
}
