package org.syncservice.desktop.content;

import java.net.URI;
import java.time.Duration;
import org.syncservice.protocol.v1.SignedUrl;
import org.syncservice.protocol.v1.StorageAccess;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * SigV4 URLs for the chunks of one workspace in a {@link TestS3Store}, presigned with the AWS SDK
 * as the service signs them. "Forged" ones are signed with a wrong secret, so S3 answers them 403
 * as it answers expired ones. Thread-safe.
 */
final class S3Signer implements AutoCloseable {
    static final String ACCESS_KEY = "test-access-key";
    static final String SECRET_KEY = "test-secret-key";
    static final String BUCKET = "chunks";
    static final String PREFIX = "workspace-1/";
    private static final Duration TTL = Duration.ofMinutes(10);

    private final S3Presigner presigner;
    private final S3Presigner forger;

    S3Signer(URI endpoint) {
        this.presigner = presigner(endpoint, SECRET_KEY);
        this.forger = presigner(endpoint, "not-" + SECRET_KEY);
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

    @Override
    public void close() {
        presigner.close();
        forger.close();
    }
}
