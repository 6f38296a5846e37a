package org.syncservice.server.storage.s3;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.ContentAddress;
import org.syncservice.server.storage.Failures;
import org.syncservice.server.storage.Locations;
import org.syncservice.server.storage.SignedUrl;
import org.syncservice.server.storage.SignedUrls;
import org.syncservice.server.storage.StorageAccess;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.storage.StoredChunk;
import org.syncservice.server.storage.UploadChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Chunks in one S3 bucket (AWS or any S3-compatible server), one key prefix per workspace
 * ({@code <workspaceId>/}). The service holds the only S3 credential: S3 has no per-prefix ACL
 * that fits per-user grants without an IAM identity per user, so access for clients is the
 * service's SigV4-presigned URLs, handed
 * out to members only ({@link QueryPresigner}). Thread-safe: the SDK's client and the presigner are.
 */
public final class S3ChunkStorage implements ChunkStorage {
    private static final Logger log = LoggerFactory.getLogger(S3ChunkStorage.class);

    private static final SortedMap<String, String> NO_HEADERS = Collections.emptySortedMap();

    /** S3's own largest page. */
    private static final int LIST_PAGE_SIZE = 1000;

    private final StorageConfig.S3 config;
    private final int listPageSize;
    private final Clock clock;
    private final Set<String> knownBuckets = ConcurrentHashMap.newKeySet();
    private volatile S3Client client;
    private volatile QueryPresigner presigner;
    private volatile boolean healthy;

    public S3ChunkStorage(StorageConfig.S3 config, Clock clock) {
        this(config, clock, LIST_PAGE_SIZE);
    }

    /** With listings of {@code listPageSize} keys a page (tests make many pages of few chunks). */
    S3ChunkStorage(StorageConfig.S3 config, Clock clock, int listPageSize) {
        this.config = config;
        this.clock = clock;
        this.listPageSize = listPageSize;
    }

    @Override
    public StorageConfig.Backend backend() {
        return StorageConfig.Backend.S3;
    }

    @Override
    public void start() {
        connect();
        ensureBucket(config.bucket());
        log.info("S3 storage reachable: bucket {} at {}", config.bucket(), config.endpoint());
    }

    @Override
    public void check() {
        connect();
        try {
            client.headBucket(b -> b.bucket(config.bucket()));
            healthy = true;
        } catch (NoSuchBucketException e) {
            throw missingBucket();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw missingBucket();
            }
            throw failed("cannot reach bucket " + config.bucket(), e);
        } catch (SdkException e) {
            throw failed("cannot reach bucket " + config.bucket(), e);
        }
    }

    private ServiceException missingBucket() {
        return Failures.unavailable("bucket " + config.bucket() + " does not exist at " + config.endpoint()
                + " (the service creates it when it starts)", null);
    }

    /** Builds the client once; it sends nothing until asked. */
    private synchronized void connect() {
        if (client != null) {
            return;
        }
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(config.accessKey(), config.secretKey().reveal()));
        Region region = Region.of(config.region());
        URI endpoint = URI.create(config.endpoint());
        client = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(30)))
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle())
                // Checksums only where S3 requires them: many S3-compatible servers reject the
                // SDK's newer default CRC checksum headers (501).
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        presigner = new QueryPresigner(endpoint, config.pathStyle(), config.region(), config.accessKey(),
                config.secretKey().reveal());
    }

    @Override
    public boolean isHealthy() {
        return healthy;
    }

    @Override
    public void close() {
        S3Client c = client;
        if (c != null) {
            c.close();
        }
        healthy = false;
    }

    @Override
    public void provision(StorageLocation location) {
        // A prefix needs no creation in S3; only the bucket must exist.
        ensureBucket(Locations.require(backend(), location).container());
    }

    @Override
    public void remove(StorageLocation location) {
        Locations.require(backend(), location);
        if (location.prefix().isEmpty()) {
            throw new IllegalArgumentException("refusing to empty the whole bucket " + location.container());
        }
        try {
            // One DELETE per object rather than DeleteObjects: the SDK sends the latter with a CRC
            // checksum header that S3-compatible servers often refuse, and removing a workspace is rare.
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(location.container())
                    .prefix(location.prefix())).contents()) {
                client.deleteObject(b -> b.bucket(location.container()).key(object.key()));
            }
            healthy = true;
        } catch (NoSuchBucketException e) {
            healthy = true;
        } catch (SdkException e) {
            throw failed("cannot remove " + location.prefix(), e);
        }
    }


    /**
     * Server-side CopyObject within the bucket: the bytes never leave S3. Chunks the target holds
     * already are left out (one listing or a HEAD each), and each copy is conditional on the
     * target key being absent ({@code If-None-Match: *}), so a chunk written there meanwhile is not
     * replaced either: S3 answers 412 and the chunk counts as present.
     */
    @Override
    public int copyChunks(StorageLocation from, StorageLocation to, Collection<String> chunks) {
        Locations.require(backend(), from);
        Locations.require(backend(), to);
        Set<String> absent = missingChunks(to, chunks);
        int copied = 0;
        try {
            for (String chunk : absent) {
                try {
                    client.copyObject(b -> b.sourceBucket(from.container()).sourceKey(from.objectName(chunk))
                            .destinationBucket(to.container()).destinationKey(to.objectName(chunk))
                            .ifNoneMatch("*"));
                    copied++;
                } catch (NoSuchKeyException e) {
                    // Never uploaded: nothing to copy (see the interface).
                } catch (S3Exception e) {
                    if (e.statusCode() != 404 && e.statusCode() != 412) {
                        throw e;
                    }
                }
            }
            healthy = true;
            return copied;
        } catch (SdkException e) {
            throw failed("cannot copy chunks to " + to.prefix(), e);
        }
    }

    /** Every condition is signed (see {@link #signedUrls}); S3 checks each. */
    @Override
    public UploadChecks uploadChecks() {
        return new UploadChecks(true, true, true);
    }

    @Override
    public boolean signsUrls() {
        return true;
    }

    /**
     * READ URLs sign only {@code host}. WRITE URLs also sign {@code if-none-match: *} (S3 refuses
     * to replace a stored chunk: 412), {@code x-amz-content-sha256} when the chunk's name is a
     * SHA-256 (S3 refuses other bytes: 400 XAmzContentSHA256Mismatch) and {@code content-length}
     * when the client declared the size (other lengths break the signature: 403). All of them are
     * in the headers handed out; HTTP clients set Content-Length from the body themselves.
     */
    @Override
    public SignedUrls signedUrls(StorageLocation location, List<String> chunks, StorageAccess access, Duration ttl,
                                 List<Long> sizes) {
        Locations.require(backend(), location);
        // Whole seconds: X-Amz-Date has no finer ones, and the URL expires counted from it.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        QueryPresigner.Batch batch = presigner.batch(location.container(), now, ttl);
        List<SignedUrl> urls = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            String chunk = chunks.get(i);
            SortedMap<String, String> signed = access == StorageAccess.WRITE
                    ? writeConditions(chunk, sizes.isEmpty() ? null : sizes.get(i)) : NO_HEADERS;
            urls.add(new SignedUrl(chunk, batch.sign(access.method(), location.objectName(chunk), signed),
                    access.method(), signed));
        }
        return new SignedUrls(urls, now.plusSeconds(ttl.toSeconds()));
    }

    private static SortedMap<String, String> writeConditions(String chunk, Long size) {
        SortedMap<String, String> signed = new TreeMap<>();
        signed.put("if-none-match", "*");
        if (ContentAddress.isSha256(chunk)) {
            signed.put("x-amz-content-sha256", chunk);
        }
        if (size != null) {
            signed.put("content-length", Long.toString(size));
        }
        return signed;
    }

    @Override
    public Set<String> missingChunks(StorageLocation location, Collection<String> chunks) {
        Set<String> missing = new LinkedHashSet<>(chunks);
        missing.removeAll(storedChunks(location, chunks).keySet());
        return missing;
    }

    /**
     * A HEAD per chunk for a few chunks; for more, pages of a listing of the workspace's prefix
     * ({@link PrefixListing}), which answer for up to a thousand chunks each.
     */
    @Override
    public Map<String, StoredChunk> storedChunks(StorageLocation location, Collection<String> chunks) {
        Locations.require(backend(), location);
        Map<String, String> objectNames = new LinkedHashMap<>();
        for (String chunk : chunks) {
            objectNames.put(chunk, location.objectName(chunk));
        }
        Map<String, String> chunkOfKey = new HashMap<>();
        objectNames.forEach((chunk, key) -> chunkOfKey.put(key, chunk));
        PrefixListing listing = new PrefixListing(
                startAfter -> page(location, startAfter, chunkOfKey),
                chunk -> head(location, chunk));
        try {
            Map<String, StoredChunk> stored = listing.stored(List.copyOf(objectNames.keySet()), objectNames);
            healthy = true;
            return stored;
        } catch (SdkException e) {
            throw failed("cannot check chunks", e);
        }
    }

    private PrefixListing.Page page(StorageLocation location, String startAfter, Map<String, String> chunkOfKey) {
        ListObjectsV2Response page = client.listObjectsV2(b -> b.bucket(location.container())
                .prefix(location.prefix()).startAfter(startAfter).maxKeys(listPageSize));
        List<PrefixListing.Listed> objects = new ArrayList<>(page.contents().size());
        for (S3Object object : page.contents()) {
            String chunk = chunkOfKey.getOrDefault(object.key(), object.key().substring(location.prefix().length()));
            objects.add(new PrefixListing.Listed(object.key(),
                    new StoredChunk(chunk, object.size(), object.lastModified())));
        }
        return new PrefixListing.Page(objects, Boolean.TRUE.equals(page.isTruncated()));
    }

    private Optional<StoredChunk> head(StorageLocation location, String chunk) {
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(location.container())
                    .key(location.objectName(chunk)));
            return Optional.of(new StoredChunk(chunk, head.contentLength(), head.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** One DELETE per chunk, for the same reason as {@link #remove}; S3 answers 204 for an absent key too. */
    @Override
    public void deleteChunks(StorageLocation location, Collection<String> chunks) {
        Locations.require(backend(), location);
        try {
            for (String chunk : chunks) {
                client.deleteObject(b -> b.bucket(location.container()).key(location.objectName(chunk)));
            }
            healthy = true;
        } catch (NoSuchBucketException e) {
            healthy = true;
        } catch (SdkException e) {
            throw failed("cannot delete chunks of " + location.prefix(), e);
        }
    }

    private void ensureBucket(String bucket) {
        if (knownBuckets.contains(bucket)) {
            return;
        }
        try {
            try {
                client.headBucket(b -> b.bucket(bucket));
            } catch (NoSuchBucketException e) {
                createBucket(bucket);
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                createBucket(bucket);
            }
            knownBuckets.add(bucket);
            healthy = true;
        } catch (SdkException e) {
            throw failed("cannot reach bucket " + bucket, e);
        }
    }

    private void createBucket(String bucket) {
        try {
            client.createBucket(b -> b.bucket(bucket));
            log.info("created S3 bucket {}", bucket);
        } catch (BucketAlreadyOwnedByYouException e) {
            // Another instance created it first.
        }
    }

    private ServiceException failed(String what, SdkException e) {
        healthy = false;
        log.warn("S3 at {}: {}: {}", config.endpoint(), what, e.toString());
        return Failures.unavailable(what, e);
    }
}
