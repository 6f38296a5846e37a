package org.syncservice.server.storage.s3;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

    @Override
    protected StorageLocation newLocation() {
        return new StorageLayout(config).locationFor(UUID.randomUUID());
    }
}
