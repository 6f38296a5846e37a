package org.syncservice.desktop.content;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * A real S3 API in this JVM: S3Proxy with SigV4 authentication over its in-memory blob store,
 * on 127.0.0.1 and a free port, which counts the objects stored through it. {@link S3Signer} signs
 * URLs for it.
 */
final class TestS3Store implements AutoCloseable {
    private static final String BUCKET = S3Signer.BUCKET;
    private static final String PREFIX = S3Signer.PREFIX;

    private final CountingBlobStore blobs;
    private final S3Proxy proxy;
    private final S3Signer signer;

    private TestS3Store(CountingBlobStore blobs, S3Proxy proxy) {
        this.blobs = blobs;
        this.proxy = proxy;
        this.signer = new S3Signer(endpoint());
    }

    static TestS3Store start() throws Exception {
        CountingBlobStore blobs = new CountingBlobStore(new TransientNio2BlobStore());
        blobs.createContainer(BUCKET);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3Signer.ACCESS_KEY, S3Signer.SECRET_KEY)
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
        return new TestS3Store(blobs, proxy);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    S3Signer signer() {
        return signer;
    }

    /** Objects stored through the S3 API since the start. */
    int puts() {
        return blobs.puts.get();
    }

    boolean holds(String chunk) {
        return blobs.blobExists(BUCKET, PREFIX + chunk);
    }

    /** Replaces a chunk's bytes behind the S3 API's back, as a failing disk would. */
    void overwrite(String chunk, byte[] bytes) {
        blobs.delegate().putBlob(PutObjectRequest.builder().bucket(BUCKET).key(PREFIX + chunk)
                .contentLength((long) bytes.length).build(), new ByteArrayInputStream(bytes));
    }

    void remove(String chunk) {
        blobs.removeBlob(BUCKET, PREFIX + chunk);
    }

    @Override
    public void close() throws Exception {
        signer.close();
        try {
            proxy.stop();
        } finally {
            blobs.close();
        }
    }

    private static final class CountingBlobStore extends ForwardingBlobStore {
        private final AtomicInteger puts = new AtomicInteger();

        CountingBlobStore(BlobStore blobStore) {
            super(blobStore);
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
            puts.incrementAndGet();
            return super.putBlob(request, content);
        }
    }
}
