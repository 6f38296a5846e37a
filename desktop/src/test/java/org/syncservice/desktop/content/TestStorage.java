package org.syncservice.desktop.content;

import java.time.Duration;

/**
 * A chunk transfer over a {@link TestS3Store}, for tests outside this package that need real
 * uploads and downloads (the engine's executors) without the service.
 */
public final class TestStorage implements AutoCloseable {
    private final TestS3Store store;
    private final ChunkTransfer transfer;

    private TestStorage(TestS3Store store) {
        this.store = store;
        this.transfer = new ChunkTransfer(new PresignedStorageUrls(store.signer()), new ContentReader(),
                new ChunkTransfer.Settings(1000, 4, 3, Duration.ofMillis(1), Duration.ofSeconds(30),
                        ContentReader.MAX_CHUNK_SIZE));
    }

    public static TestStorage start() throws Exception {
        return new TestStorage(TestS3Store.start());
    }

    public ChunkTransfer transfer() {
        return transfer;
    }

    @Override
    public void close() throws Exception {
        transfer.close();
        store.close();
    }
}
