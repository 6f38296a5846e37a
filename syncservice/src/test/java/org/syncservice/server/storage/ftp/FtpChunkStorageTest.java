package org.syncservice.server.storage.ftp;

import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.ChunkStorageContract;
import org.syncservice.server.storage.StorageLayout;
import org.syncservice.server.storage.StorageLocation;

/** The storage contract on FTP, against Apache FtpServer in this JVM on 127.0.0.1. */
class FtpChunkStorageTest extends ChunkStorageContract {
    private static TestFtpServer server;
    private static StorageConfig config;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestFtpServer.start();
        config = server.storageConfig();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    @Override
    protected ChunkStorage newStorage() {
        FtpChunkStorage storage = new FtpChunkStorage(config.ftp());
        storage.start();
        return storage;
    }

    @Override
    protected StorageLocation newLocation() {
        return new StorageLayout(config).locationFor(UUID.randomUUID());
    }

    /** As an FTP client with its own account would. */
    @Override
    protected void putChunk(StorageLocation where, String chunk, byte[] content) throws IOException {
        server.put(where.objectName(chunk), content);
    }

    @Override
    protected String readChunk(StorageLocation where, String chunk) throws IOException {
        return new String(server.get(where.objectName(chunk)), java.nio.charset.StandardCharsets.UTF_8);
    }
}
