package org.syncservice.desktop.content;

import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.syncservice.protocol.v1.SignedUrl;
import org.syncservice.protocol.v1.StorageAccess;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A real S3 API in this JVM: S3Proxy with SigV4 authentication over jclouds' in-memory blob store,
 * on 127.0.0.1 and a free port, which counts the objects stored through it. URLs are presigned with
 * the AWS SDK, as the service signs them; "forged" ones are signed with a wrong secret, so S3
 * answers them 403 as it answers expired ones.
 */
final class TestS3Store implements AutoCloseable {
    private static final String ACCESS_KEY = "test-access-key";
    private static final String SECRET_KEY = "test-secret-key";
    private static final String BUCKET = "chunks";
    private static final String PREFIX = "workspace-1/";
    private static final Duration TTL = Duration.ofMinutes(10);

    private final BlobStoreContext context;
    private final CountingBlobStore blobs;
    private final S3Proxy proxy;
    private final S3Presigner presigner;
    private final S3Presigner forger;

    private TestS3Store(BlobStoreContext context, CountingBlobStore blobs, S3Proxy proxy) {
        this.context = context;
        this.blobs = blobs;
        this.proxy = proxy;
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        this.presigner = presigner(endpoint, SECRET_KEY);
        this.forger = presigner(endpoint, "not-" + SECRET_KEY);
    }

    static TestS3Store start() throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
                .credentials("unused", "unused")
                .overrides(new Properties())
                .build(BlobStoreContext.class);
        CountingBlobStore blobs = new CountingBlobStore(context.getBlobStore());
        blobs.createContainerInLocation(null, BUCKET);
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
            context.close();
            throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        return new TestS3Store(context, blobs, proxy);
    }

    private static S3Presigner presigner(URI endpoint, String secret) {
        return S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secret)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    SignedUrl url(StorageAccess access, String chunk, boolean forged) {
        S3Presigner signer = forged ? forger : presigner;
        String key = PREFIX + chunk;
        PresignedRequest signed = switch (access) {
            case STORAGE_ACCESS_READ -> signer.presignGetObject(b -> b.signatureDuration(TTL)
                    .getObjectRequest(g -> g.bucket(BUCKET).key(key)));
            case STORAGE_ACCESS_WRITE -> signer.presignPutObject(b -> b.signatureDuration(TTL)
                    .putObjectRequest(p -> p.bucket(BUCKET).key(key)));
            default -> throw new IllegalArgumentException(access.name());
        };
        return toProto(chunk, signed);
    }

    /** A HEAD of the chunk's object, to tell which chunks are stored. */
    SignedUrl head(String chunk) {
        return toProto(chunk, presigner.presignHeadObject(b -> b.signatureDuration(TTL)
                .headObjectRequest(h -> h.bucket(BUCKET).key(PREFIX + chunk))));
    }

    private static SignedUrl toProto(String chunk, PresignedRequest signed) {
        SignedUrl.Builder url = SignedUrl.newBuilder()
                .setChunk(chunk)
                .setUrl(signed.url().toString())
                .setMethod(signed.httpRequest().method().name());
        signed.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                url.putHeaders(name, String.join(",", values));
            }
        });
        return url.build();
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
        blobs.delegate().putBlob(BUCKET, blobs.blobBuilder(PREFIX + chunk).payload(bytes).build());
    }

    void remove(String chunk) {
        blobs.removeBlob(BUCKET, PREFIX + chunk);
    }

    @Override
    public void close() throws Exception {
        presigner.close();
        forger.close();
        try {
            proxy.stop();
        } finally {
            context.close();
        }
    }

    private static final class CountingBlobStore extends ForwardingBlobStore {
        private final AtomicInteger puts = new AtomicInteger();

        CountingBlobStore(BlobStore blobStore) {
            super(blobStore);
        }

        @Override
        protected BlobStore delegate() {
            return super.delegate();
        }

        @Override
        public String putBlob(String container, Blob blob) {
            puts.incrementAndGet();
            return super.putBlob(container, blob);
        }

        @Override
        public String putBlob(String container, Blob blob, PutOptions options) {
            puts.incrementAndGet();
            return super.putBlob(container, blob, options);
        }
    }
}
