package org.syncservice.server.storage.s3;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SigV4 query-string presigning of S3 {@code GET} and {@code PUT} URLs (AWS's "Authenticating
 * Requests: Using Query Parameters"), signing the {@code host} header and any others asked for
 * (an upload's length, content hash and no-overwrite condition) with an unsigned payload, as the
 * SDK's presigner does for these requests. The SDK's presigner runs its whole
 * request pipeline (endpoint and auth-scheme resolution, interceptors) for every URL, the bulk of
 * a {@code get_storage_urls} request's work when a client asks for a thousand URLs at a time; this
 * costs a SHA-256 and an HMAC per URL, with the signing key derived once a day.
 *
 * <p>Thread-safe: immutable apart from the cached signing key, which is swapped atomically.
 * {@link Batch} is for one thread.
 */
final class QueryPresigner {
    /** S3 refuses presigned URLs valid for longer than a week. */
    static final Duration LONGEST = Duration.ofDays(7);
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();
    private static final SortedMap<String, String> NO_HEADERS = Collections.emptySortedMap();

    private final String scheme;
    private final String host;
    private final String basePath;
    private final boolean pathStyle;
    private final String region;
    private final String accessKey;
    private final byte[] secret;
    private final AtomicReference<DayKey> signingKey = new AtomicReference<>();

    private record DayKey(String day, byte[] key) {
    }

    /**
     * @param endpoint the S3 endpoint, {@code http(s)://host[:port][/path]}
     * @param pathStyle buckets in the path ({@code endpoint/bucket/key}), else in the host name
     *     ({@code bucket.host/key})
     */
    QueryPresigner(URI endpoint, boolean pathStyle, String region, String accessKey, String secretKey) {
        this.scheme = endpoint.getScheme();
        this.host = endpoint.getPort() < 0 || isDefaultPort(endpoint) ? endpoint.getHost()
                : endpoint.getHost() + ":" + endpoint.getPort();
        String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.pathStyle = pathStyle;
        this.region = region;
        this.accessKey = accessKey;
        this.secret = ("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isDefaultPort(URI endpoint) {
        return ("http".equalsIgnoreCase(endpoint.getScheme()) && endpoint.getPort() == 80)
                || ("https".equalsIgnoreCase(endpoint.getScheme()) && endpoint.getPort() == 443);
    }

    /** Signs URLs for objects of one bucket, all at the time {@code now} and valid for {@code ttl}. */
    Batch batch(String bucket, Instant now, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("a presigned URL lives more than 0 s and at most 7 days, not " + ttl);
        }
        return new Batch(bucket, now, ttl);
    }

    /** URLs signed alike; its digest and MAC are reused from one URL to the next. Not thread-safe. */
    final class Batch {
        private final String urlHost;
        private final String pathPrefix;
        private final String day;
        private final String time;
        private final String credential;
        private final long expiresSeconds;
        private final MessageDigest sha256;
        private final Mac hmac;

        private Batch(String bucket, Instant now, Duration ttl) {
            this.urlHost = pathStyle ? host : bucket + "." + host;
            this.pathPrefix = basePath + (pathStyle ? "/" + encode(bucket, false) : "");
            this.day = DAY.format(now);
            this.time = TIME.format(now);
            this.credential = accessKey + "/" + day + "/" + region + "/s3/aws4_request";
            this.expiresSeconds = ttl.toSeconds();
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
                this.hmac = Mac.getInstance("HmacSHA256");
                hmac.init(new SecretKeySpec(keyOf(day), "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JVM lacks SHA-256 or HmacSHA256", e);
            }
        }

        /** The presigned URL of {@code method} ({@code GET}, {@code PUT}) on object {@code key}. */
        URI sign(String method, String key) {
            return sign(method, key, NO_HEADERS);
        }

        /**
         * The presigned URL of {@code method} on object {@code key} that holds only for requests
         * carrying exactly {@code headers} (lower-case names, such as {@code content-length} or
         * {@code x-amz-content-sha256}) besides {@code host}. The payload stays
         * {@code UNSIGNED-PAYLOAD} in the canonical request, as for every presigned URL; S3 checks
         * the body against a signed {@code x-amz-content-sha256} itself.
         */
        URI sign(String method, String key, SortedMap<String, String> headers) {
            SortedMap<String, String> signed = new TreeMap<>(headers);
            signed.put("host", urlHost);
            StringBuilder canonicalHeaders = new StringBuilder();
            for (Map.Entry<String, String> header : signed.entrySet()) {
                canonicalHeaders.append(header.getKey()).append(':').append(header.getValue().trim()).append('\n');
            }
            String signedHeaders = String.join(";", signed.keySet());
            String path = pathPrefix + "/" + encode(key, true);
            // Parameters in the byte order of their names, as the canonical request wants them.
            String query = "X-Amz-Algorithm=" + ALGORITHM
                    + "&X-Amz-Credential=" + encode(credential, false)
                    + "&X-Amz-Date=" + time
                    + "&X-Amz-Expires=" + expiresSeconds
                    + "&X-Amz-SignedHeaders=" + encode(signedHeaders, false);
            String canonicalRequest = method + "\n" + path + "\n" + query + "\n" + canonicalHeaders + "\n"
                    + signedHeaders + "\nUNSIGNED-PAYLOAD";
            String stringToSign = ALGORITHM + "\n" + time + "\n" + day + "/" + region + "/s3/aws4_request\n"
                    + HEX.formatHex(sha256.digest(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
            String signature = HEX.formatHex(hmac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
            return URI.create(scheme + "://" + urlHost + path + "?" + query + "&X-Amz-Signature=" + signature);
        }
    }

    private byte[] keyOf(String day) throws GeneralSecurityException {
        DayKey known = signingKey.get();
        if (known != null && known.day().equals(day)) {
            return known.key();
        }
        byte[] key = hmac(secret, day);
        key = hmac(key, region);
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        signingKey.set(new DayKey(day, key));
        return key;
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * SigV4's URI encoding: every byte but the unreserved {@code A-Z a-z 0-9 - _ . ~} as
     * {@code %XX} (upper-case hex), and {@code /} kept where {@code keepSlash} (object keys).
     */
    static String encode(String value, boolean keepSlash) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
                out.append((char) c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return out.toString();
    }
}
