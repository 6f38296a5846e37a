package org.syncservice.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.syncservice.server.core.ServiceException;

/**
 * What every chunk storage back-end must do, run by one subclass per back-end against a real
 * server the subclass starts on 127.0.0.1. Back-ends that cannot sign URLs run the same checks
 * with chunks put there by the subclass in the back-end's own protocol.
 */
public abstract class ChunkStorageContract {
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    protected ChunkStorage storage;
    protected StorageLocation location;

    /** A started back-end, talking to the subclass's server. */
    protected abstract ChunkStorage newStorage() throws Exception;

    /** The location of a new workspace on this back-end, as {@code StorageLayout} makes it. */
    protected abstract StorageLocation newLocation();

    /**
     * Stores a chunk without the service, as a client would. By default through a signed WRITE URL;
     * back-ends that cannot sign override it.
     */
    protected void putChunk(StorageLocation where, String chunk, byte[] content) throws Exception {
        SignedUrl url = storage.signedUrls(where, List.of(chunk), StorageAccess.WRITE, Duration.ofMinutes(5))
                .urls().get(0);
        HttpResponse<String> response = send(url, content);
        assertThat(response.statusCode()).as("PUT %s: %s", url.url(), response.body()).isBetween(200, 299);
    }

    @BeforeEach
    void startStorage() throws Exception {
        storage = newStorage();
        location = newLocation();
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) {
            try {
                storage.remove(location);
            } finally {
                storage.close();
            }
        }
    }

    protected static String chunkName() {
        return "c_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Sends what {@code url} is signed for, with its headers but those the JDK's client sets itself. */
    protected static HttpResponse<String> send(SignedUrl url, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(request(url, body), HttpResponse.BodyHandlers.ofString());
    }

    /** The request {@link #send} sends. */
    protected static HttpRequest request(SignedUrl url, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url.url()).timeout(Duration.ofSeconds(20));
        url.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length")) {
                request.header(name, value);
            }
        });
        request.method(url.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        return request.build();
    }

    private void requireSigning() {
        Assumptions.assumeTrue(storage.signsUrls(), "this back-end signs no URLs");
    }

    @Test
    void startedStorageIsHealthy() {
        assertThat(storage.isHealthy()).isTrue();
    }

    @Test
    void provisionIsIdempotentAndKeepsChunks() throws Exception {
        storage.provision(location);
        String chunk = chunkName();
        putChunk(location, chunk, "hello".getBytes(StandardCharsets.UTF_8));

        storage.provision(location);

        assertThat(storage.missingChunks(location, List.of(chunk))).isEmpty();
    }

    @Test
    void aChunkPutThroughASignedWriteUrlIsReturnedByASignedReadUrl() throws Exception {
        requireSigning();
        storage.provision(location);
        String chunk = chunkName();
        byte[] content = ("chunk " + chunk).getBytes(StandardCharsets.UTF_8);

        SignedUrls write = storage.signedUrls(location, List.of(chunk), StorageAccess.WRITE, Duration.ofMinutes(5));
        assertThat(write.urls()).singleElement().satisfies(u -> {
            assertThat(u.chunk()).isEqualTo(chunk);
            assertThat(u.method()).isEqualTo("PUT");
        });
        assertThat(write.expiresAt()).isBetween(Instant.now().plusSeconds(240), Instant.now().plusSeconds(301));
        assertThat(send(write.urls().get(0), content).statusCode()).isBetween(200, 299);

        SignedUrl read = storage.signedUrls(location, List.of(chunk), StorageAccess.READ, Duration.ofMinutes(5))
                .urls().get(0);
        assertThat(read.method()).isEqualTo("GET");
        HttpResponse<String> got = send(read, null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(new String(content, StandardCharsets.UTF_8));
    }

    @Test
    void aTamperedUrlIsRefused() throws Exception {
        requireSigning();
        storage.provision(location);
        String chunk = chunkName();
        putChunk(location, chunk, "secret".getBytes(StandardCharsets.UTF_8));
        SignedUrl read = storage.signedUrls(location, List.of(chunk), StorageAccess.READ, Duration.ofMinutes(5))
                .urls().get(0);

        // Another object with the same signature.
        SignedUrl otherObject = new SignedUrl(chunk, URI.create(read.url().toString().replace(chunk, chunkName())),
                "GET", read.headers());
        // The same object with a changed signature.
        String url = read.url().toString();
        int at = url.length() - 3;
        char flipped = url.charAt(at) == 'a' ? 'b' : 'a';
        SignedUrl otherSignature = new SignedUrl(chunk, URI.create(url.substring(0, at) + flipped + url.substring(at + 1)),
                "GET", read.headers());
        // A read URL used to write.
        SignedUrl readUsedToWrite = new SignedUrl(chunk, read.url(), "PUT", read.headers());

        assertThat(send(otherObject, null).statusCode()).isIn(401, 403);
        assertThat(send(otherSignature, null).statusCode()).isIn(400, 401, 403);
        assertThat(send(readUsedToWrite, "overwritten".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isIn(400, 401, 403, 405);
        assertThat(send(read, null).body()).isEqualTo("secret");
    }

    /**
     * Whether the test's server honours a WRITE URL's {@code If-None-Match: *} (412 for a stored
     * chunk). A subclass whose test server does not says so, and why, and tests that the
     * condition is at least signed.
     */
    protected boolean storeRefusesOverwrites() {
        return true;
    }

    /** A client that re-uploads a chunk (a lost answer, another device) must not replace what is stored. */
    @Test
    void aWriteUrlUsedAsHandedOutNeverReplacesAStoredChunk() throws Exception {
        requireSigning();
        Assumptions.assumeTrue(storeRefusesOverwrites(), "this test server ignores If-None-Match on PUT");
        storage.provision(location);
        String chunk = chunkName();
        putChunk(location, chunk, "first".getBytes(StandardCharsets.UTF_8));
        SignedUrl write = storage.signedUrls(location, List.of(chunk), StorageAccess.WRITE, Duration.ofMinutes(5))
                .urls().get(0);

        assertThat(send(write, "second".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(412);

        assertThat(readChunk(location, chunk)).isEqualTo("first");
    }

    @Test
    void anExpiredUrlIsRefused() throws Exception {
        requireSigning();
        storage.provision(location);
        String chunk = chunkName();
        putChunk(location, chunk, "soon gone".getBytes(StandardCharsets.UTF_8));
        SignedUrl read = storage.signedUrls(location, List.of(chunk), StorageAccess.READ, Duration.ofSeconds(1))
                .urls().get(0);

        Thread.sleep(2_500);

        assertThat(send(read, null).statusCode()).isIn(401, 403);
    }

    @Test
    void backEndsThatCannotSignSayUnimplemented() {
        Assumptions.assumeFalse(storage.signsUrls(), "this back-end signs URLs");
        assertThatThrownBy(() -> storage.signedUrls(location, List.of(chunkName()), StorageAccess.READ,
                Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.UNIMPLEMENTED));
    }

    @Test
    void missingChunksReportsExactlyTheAbsentOnes() throws Exception {
        storage.provision(location);
        String present1 = chunkName();
        String present2 = chunkName();
        String absent1 = chunkName();
        String absent2 = chunkName();
        putChunk(location, present1, new byte[] {1});
        putChunk(location, present2, new byte[] {2});

        assertThat(storage.missingChunks(location, List.of(present1, absent1, present2, absent2)))
                .containsExactly(absent1, absent2);
        assertThat(storage.missingChunks(location, List.of(present1, present2))).isEmpty();
    }

    /**
     * A batch as large as a client's first sync asks for (S3 answers it from a listing of the
     * workspace's prefix, not a request per chunk), among stored chunks nobody asked about.
     */
    @Test
    void aLargeBatchAmongOtherStoredChunksGetsExactlyItsAbsentAndStoredOnes() throws Exception {
        storage.provision(location);
        List<String> asked = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        Map<String, Integer> sizes = new HashMap<>();
        for (int i = 0; i < 120; i++) {
            String chunk = chunkName();
            asked.add(chunk);
            if (i % 3 == 0) {
                putChunk(location, chunk, new byte[1 + i % 7]);
                sizes.put(chunk, 1 + i % 7);
            } else {
                absent.add(chunk);
            }
        }
        for (int i = 0; i < 20; i++) {
            putChunk(location, chunkName(), new byte[] {9});
        }

        assertThat(storage.missingChunks(location, asked)).containsExactlyElementsOf(absent);
        Map<String, StoredChunk> stored = storage.storedChunks(location, asked);
        assertThat(stored.keySet()).containsExactlyElementsOf(
                asked.stream().filter(sizes::containsKey).toList());
        assertThat(stored).allSatisfy((chunk, found) -> {
            assertThat(found.chunk()).isEqualTo(chunk);
            assertThat(found.sizeBytes()).isEqualTo(sizes.get(chunk).longValue());
        });
    }

    @Test
    void storedChunksGivesThePresentOnesWithTheirSizeAndWriteTime() throws Exception {
        storage.provision(location);
        String three = chunkName();
        String five = chunkName();
        String absent = chunkName();
        // Back-ends keep write times to the second at best, and the server's clock is its own.
        Instant before = Instant.now().minusSeconds(5);
        putChunk(location, three, new byte[] {1, 2, 3});
        putChunk(location, five, new byte[] {1, 2, 3, 4, 5});
        Instant after = Instant.now().plusSeconds(5);

        Map<String, StoredChunk> stored = storage.storedChunks(location, List.of(three, absent, five));

        assertThat(stored.keySet()).containsExactly(three, five);
        assertThat(stored.get(three).sizeBytes()).isEqualTo(3);
        assertThat(stored.get(five).sizeBytes()).isEqualTo(5);
        assertThat(stored.values()).allSatisfy(chunk -> assertThat(chunk.writtenAt()).isBetween(before, after));
    }

    @Test
    void deleteChunksDeletesExactlyTheNamedOnesAndIsIdempotent() throws Exception {
        storage.provision(location);
        String doomed = chunkName();
        String kept = chunkName();
        String neverStored = chunkName();
        putChunk(location, doomed, new byte[] {1});
        putChunk(location, kept, new byte[] {2});

        storage.deleteChunks(location, List.of(doomed, neverStored));
        storage.deleteChunks(location, List.of(doomed, neverStored));

        assertThat(storage.missingChunks(location, List.of(doomed, kept))).containsExactly(doomed);
        assertThat(storage.storedChunks(location, List.of(doomed, kept)).keySet()).containsExactly(kept);
    }

    @Test
    void chunksOfOneWorkspaceAreNotSeenInAnother() throws Exception {
        StorageLocation other = newLocation();
        storage.provision(location);
        storage.provision(other);
        try {
            String chunk = chunkName();
            putChunk(location, chunk, new byte[] {1});

            assertThat(storage.missingChunks(other, List.of(chunk))).containsExactly(chunk);
        } finally {
            storage.remove(other);
        }
    }

    @Test
    void removeDeletesThePlaceWithItsChunksAndIsIdempotent() throws Exception {
        storage.provision(location);
        String chunk = chunkName();
        putChunk(location, chunk, new byte[] {7});

        storage.remove(location);
        storage.remove(location);

        assertThat(storage.missingChunks(location, List.of(chunk))).isEqualTo(Set.of(chunk));
    }

    @Test
    void copyChunksCopiesThePresentChunksSkipsTheAbsentOnesAndCanBeRepeated() throws Exception {
        StorageLocation target = newLocation();
        storage.provision(location);
        storage.provision(target);
        try {
            String present1 = chunkName();
            String present2 = chunkName();
            String absent = chunkName();
            putChunk(location, present1, "one".getBytes(StandardCharsets.UTF_8));
            putChunk(location, present2, "two".getBytes(StandardCharsets.UTF_8));

            assertThat(storage.copyChunks(location, target, List.of(present1, absent, present2))).isEqualTo(2);
            assertThat(storage.copyChunks(location, target, List.of(present1, absent, present2))).isZero();

            assertThat(storage.missingChunks(target, List.of(present1, present2, absent))).containsExactly(absent);
            assertThat(storage.missingChunks(location, List.of(present1, present2))).isEmpty();
            if (storage.signsUrls()) {
                SignedUrl read = storage.signedUrls(target, List.of(present2), StorageAccess.READ,
                        Duration.ofMinutes(5)).urls().get(0);
                assertThat(send(read, null).body()).isEqualTo("two");
            }
        } finally {
            storage.remove(target);
        }
    }

    /**
     * A member's upload of other bytes under a chunk's name in a shared workspace must not spread
     * into the place a share or a dissolution copies into, which holds that chunk intact.
     */
    @Test
    void copyChunksNeverReplacesAChunkTheTargetHolds() throws Exception {
        StorageLocation target = newLocation();
        storage.provision(location);
        storage.provision(target);
        try {
            String chunk = chunkName();
            String fresh = chunkName();
            putChunk(target, chunk, "intact".getBytes(StandardCharsets.UTF_8));
            putChunk(location, chunk, "overwritten by a member".getBytes(StandardCharsets.UTF_8));
            putChunk(location, fresh, "new".getBytes(StandardCharsets.UTF_8));

            assertThat(storage.copyChunks(location, target, List.of(chunk, fresh))).isEqualTo(1);

            Map<String, StoredChunk> stored = storage.storedChunks(target, List.of(chunk, fresh));
            assertThat(stored.get(chunk).sizeBytes()).isEqualTo("intact".length());
            assertThat(stored.get(fresh).sizeBytes()).isEqualTo("new".length());
            assertThat(readChunk(target, chunk)).isEqualTo("intact");
        } finally {
            storage.remove(target);
        }
    }

    /** A chunk's content as a client reads it; back-ends that cannot sign override it. */
    protected String readChunk(StorageLocation where, String chunk) throws Exception {
        SignedUrl read = storage.signedUrls(where, List.of(chunk), StorageAccess.READ, Duration.ofMinutes(5))
                .urls().get(0);
        HttpResponse<String> got = send(read, null);
        assertThat(got.statusCode()).isEqualTo(200);
        return got.body();
    }

    @Test
    void aLocationOfAnotherBackEndIsRefused() {
        org.syncservice.server.config.StorageConfig.Backend other = storage.backend()
                == org.syncservice.server.config.StorageConfig.Backend.S3
                ? org.syncservice.server.config.StorageConfig.Backend.FTP
                : org.syncservice.server.config.StorageConfig.Backend.S3;
        StorageLocation foreign = new StorageLocation(other, location.container(), location.prefix());

        assertThatThrownBy(() -> storage.provision(foreign)).isInstanceOf(IllegalArgumentException.class);
    }
}
