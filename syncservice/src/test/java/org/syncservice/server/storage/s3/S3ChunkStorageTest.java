package org.syncservice.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.server.config.Secret;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.ChunkStorageContract;
import org.syncservice.server.workspace.StorageLayout;
import org.syncservice.server.workspace.StorageLocation;

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

    @Override
    protected StorageLocation newLocation() {
        return new StorageLayout(config).locationFor(UUID.randomUUID());
    }
}
