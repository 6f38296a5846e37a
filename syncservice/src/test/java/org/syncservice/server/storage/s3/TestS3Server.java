package org.syncservice.server.storage.s3;

import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 API (S3Proxy over its in-memory blob store) on 127.0.0.1 and a free port, in this
 * JVM, with SigV4 authentication. For tests.
 */
public final class TestS3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private final BlobStore blobs;
    private final S3Proxy proxy;

    private TestS3Server(BlobStore blobs, S3Proxy proxy) {
        this.blobs = blobs;
        this.proxy = proxy;
    }

    public static TestS3Server start() throws Exception {
        BlobStore blobs = new TransientNio2BlobStore();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(proxy.getState())) {
            proxy.stop();
            blobs.close();
            throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        return new TestS3Server(blobs, proxy);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** The config keys that point a service at this server. */
    public java.util.Map<String, String> serviceSettings() {
        return java.util.Map.of(
                "storage.backend", "s3",
                "storage.s3.endpoint", endpoint(),
                "storage.s3.access-key", ACCESS_KEY,
                "storage.s3.secret-key", SECRET_KEY);
    }

    /** Whether the store holds a bucket of that name (looked at directly, not through S3). */
    public boolean hasBucket(String name) {
        return blobs.containerExists(name);
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            blobs.close();
        }
    }
}
