package org.syncservice.server.testing;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.syncservice.server.storage.ChunkStorages;
import org.syncservice.server.storage.s3.TestS3Server;

/**
 * The whole service ({@link RunningService}) on real S3: an S3Proxy of its own and a fresh bucket.
 * Closing it stops the service, then the S3 server (whose blobs live in memory only).
 */
public final class ServiceOnS3 implements AutoCloseable {
    private final TestS3Server s3;
    private final RunningService service;
    private boolean storageStopped;

    private ServiceOnS3(TestS3Server s3, RunningService service) {
        this.s3 = s3;
        this.service = service;
    }

    /** @param overrides config keys to set beyond the S3 ones (which they may replace) */
    public static ServiceOnS3 start(Map<String, String> overrides) throws Exception {
        TestS3Server s3 = TestS3Server.start();
        try {
            Map<String, String> settings = new HashMap<>(s3.serviceSettings());
            settings.put("storage.s3.bucket", "chunks-" + UUID.randomUUID());
            settings.putAll(overrides);
            return new ServiceOnS3(s3, RunningService.start(settings,
                    config -> ChunkStorages.create(config.storage(), Clock.systemUTC())));
        } catch (Exception | Error e) {
            s3.close();
            throw e;
        }
    }

    public RunningService service() {
        return service;
    }

    /** Stops the S3 server under the running service, as an outage would. */
    public void stopStorage() throws Exception {
        if (!storageStopped) {
            storageStopped = true;
            s3.close();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            service.close();
        } finally {
            stopStorage();
        }
    }
}
