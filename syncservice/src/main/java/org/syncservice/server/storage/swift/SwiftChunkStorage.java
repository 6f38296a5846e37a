package org.syncservice.server.storage.swift;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.Failures;
import org.syncservice.server.storage.Locations;
import org.syncservice.server.storage.SignedUrl;
import org.syncservice.server.storage.SignedUrls;
import org.syncservice.server.storage.StorageAccess;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.storage.StoredChunk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunks in OpenStack Swift, one container per workspace. Clients reach chunks only through
 * TempURLs the service hands to members: no Swift identity is put in a container ACL, since a
 * user with write access could store anything under any name with a token of their own, past
 * every condition of a signed URL, and the service's users have no Swift identities to name
 * (docs/storage.md, "Swift: signed URLs only"). The service logs in with Keystone v3
 * or TempAuth (v1), then speaks Swift's HTTP API with the JDK's client: one code path for both,
 * with the JDK's certificate checks. A Keystone token is renewed before the expiry it announced;
 * a 401 means the token expired anyway (or was revoked): the service logs in again once and
 * repeats the request. Signed URLs are TempURLs
 * signed with {@code storage.swift.temp-url-key} (HMAC-SHA256); with no key configured the
 * service signs nothing. Thread-safe.
 */
public final class SwiftChunkStorage implements ChunkStorage {
    private static final Logger log = LoggerFactory.getLogger(SwiftChunkStorage.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int LIST_LIMIT = 10_000;

    private final StorageConfig.Swift config;
    private final Clock clock;
    private final HttpClient http;
    private final SessionKeeper sessions;
    private final TempUrlSigner signer;
    private volatile boolean healthy;

    public SwiftChunkStorage(StorageConfig.Swift config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        SwiftLogin login = switch (config.authVersion()) {
            case TEMPAUTH -> new TempAuthLogin(http, URI.create(config.authUrl()), config.user(),
                    config.password().reveal(), TIMEOUT);
            case KEYSTONE_V3 -> new KeystoneV3Login(http, KeystoneV3Login.Credentials.of(config), TIMEOUT, clock);
        };
        this.sessions = new SessionKeeper(login, clock);
        this.signer = config.tempUrlKey().isEmpty() ? null : new TempUrlSigner(config.tempUrlKey().reveal());
    }

    @Override
    public StorageConfig.Backend backend() {
        return StorageConfig.Backend.SWIFT;
    }

    @Override
    public void start() {
        SwiftSession current = relogin(null);
        if (signer != null) {
            ensureTempUrlKey();
        }
        log.info("Swift storage reachable: account {} ({} login), TempURLs {}", current.storageUrl(),
                config.authVersion().name().toLowerCase(java.util.Locale.ROOT), signer == null ? "off" : "on");
    }

    @Override
    public void check() {
        HttpResponse<String> account = send("cannot read the account", s -> request(s.storageUrl()).method(
                "HEAD", HttpRequest.BodyPublishers.noBody()));
        expect(account, "cannot read the account", 200, 204);
    }

    /**
     * TempURLs only work once the account carries the key. Sets it when the account has no key;
     * leaves an account with other keys alone (an operator's choice) and says so.
     */
    private void ensureTempUrlKey() {
        HttpResponse<String> account = send("cannot read the account", s -> request(s.storageUrl()).method(
                "HEAD", HttpRequest.BodyPublishers.noBody()));
        expect(account, "cannot read the account", 200, 204);
        String key = config.tempUrlKey().reveal();
        var key1 = account.headers().firstValue("X-Account-Meta-Temp-Url-Key");
        var key2 = account.headers().firstValue("X-Account-Meta-Temp-Url-Key-2");
        if (key1.filter(key::equals).isPresent() || key2.filter(key::equals).isPresent()) {
            return;
        }
        if (key1.isPresent() || key2.isPresent()) {
            log.warn("the Swift account {} has a TempURL key other than storage.swift.temp-url-key:"
                    + " signed URLs will be refused until they match", currentSession().storageUrl());
            return;
        }
        HttpResponse<String> set = send("cannot set the TempURL key", s -> request(s.storageUrl())
                .header("X-Account-Meta-Temp-URL-Key", key)
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(set, "cannot set the TempURL key", 204);
        log.info("set the TempURL key of Swift account {}", currentSession().storageUrl());
    }

    @Override
    public boolean isHealthy() {
        return healthy;
    }

    /** Makes the next request carry a token Swift refuses, as after its expiry. For tests. */
    void replaceTokenForTest(String token) {
        loggedIn(() -> {
            sessions.replaceTokenForTest(token);
            return sessions.peek();
        });
    }

    @Override
    public void close() {
        healthy = false;
        sessions.forget();
    }

    @Override
    public void provision(StorageLocation location) {
        String container = container(location);
        HttpResponse<String> response = send("cannot create container " + container,
                s -> request(containerUrl(s, container)).PUT(HttpRequest.BodyPublishers.noBody()));
        expect(response, "cannot create container " + container, 201, 202);
    }

    @Override
    public void remove(StorageLocation location) {
        String container = container(location);
        for (int attempt = 0; attempt < 3; attempt++) {
            for (List<String> page = list(location, ""); !page.isEmpty();
                 page = list(location, page.get(page.size() - 1))) {
                for (String object : page) {
                    HttpResponse<String> deleted = send("cannot delete " + object,
                            s -> request(objectUrl(s, container, object)).DELETE());
                    expect(deleted, "cannot delete a chunk of " + container, 204, 404);
                }
            }
            HttpResponse<String> response = send("cannot delete container " + container,
                    s -> request(containerUrl(s, container)).DELETE());
            if (response.statusCode() != 409) {
                expect(response, "cannot delete container " + container, 204, 404);
                return;
            }
            // 409: a chunk arrived (or a listing lagged) while emptying it; empty it again.
        }
        throw unavailable("container " + container + " keeps receiving chunks while being removed", null);
    }

    /** One page of object names after {@code marker}; empty when there are no more or no container. */
    private List<String> list(StorageLocation location, String marker) {
        String container = container(location);
        String query = "?format=plain&limit=" + LIST_LIMIT + "&prefix=" + encode(location.prefix())
                + (marker.isEmpty() ? "" : "&marker=" + encode(marker));
        HttpResponse<String> response = send("cannot list container " + container,
                s -> request(URI.create(containerUrl(s, container) + query)).GET());
        if (response.statusCode() == 404 || response.statusCode() == 204) {
            return List.of();
        }
        expect(response, "cannot list container " + container, 200);
        List<String> names = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (!line.isEmpty()) {
                names.add(line);
            }
        }
        return names;
    }

    /**
     * Server-side copies: a zero-byte PUT of the target with {@code X-Copy-From} naming the source,
     * so the bytes stay inside Swift. A chunk the target holds already is left out (a HEAD each).
     * A copy cannot be made conditional on the target: Swift's copy middleware applies
     * {@code If-None-Match} to the source it reads (304), so a chunk written into the target
     * between its HEAD and its copy is replaced; the window is one chunk's copy. A source that is
     * not there answers 404 and is skipped.
     */
    @Override
    public int copyChunks(StorageLocation from, StorageLocation to, Collection<String> chunks) {
        String source = container(from);
        String target = container(to);
        int copied = 0;
        for (String chunk : missingChunks(to, chunks)) {
            String copyFrom = "/" + encode(source) + "/" + encode(from.objectName(chunk));
            String what = "cannot copy a chunk to " + target;
            HttpResponse<String> response = send(what, s -> request(objectUrl(s, target, to.objectName(chunk)))
                    .header("X-Copy-From", copyFrom)
                    .PUT(HttpRequest.BodyPublishers.noBody()));
            if (response.statusCode() == 404) {
                continue;
            }
            expect(response, what, 201, 202);
            copied++;
        }
        return copied;
    }

    @Override
    public boolean signsUrls() {
        return signer != null;
    }

    /**
     * A TempURL signs only the method, the path and the expiry: nothing about the request's headers
     * or body can be made a condition of it. WRITE URLs ask for {@code If-None-Match: *}, which
     * Swift's object server honours (412 for a stored chunk), so a client that follows them never
     * replaces a chunk; a holder who leaves the header out can. Sizes cannot be signed and are not
     * used. See docs/storage.md, "Uploads that cannot corrupt".
     */
    @Override
    public SignedUrls signedUrls(StorageLocation location, List<String> chunks, StorageAccess access, Duration ttl,
                                 List<Long> sizes) {
        String container = container(location);
        if (signer == null) {
            throw ServiceException.unimplemented("this server hands out no Swift TempURLs (no temp-url-key configured)");
        }
        SwiftSession current = currentSession();
        Instant expiresAt = clock.instant().plus(ttl);
        // Swift compares whole seconds; round down so the URL never outlives what we announce.
        long expires = expiresAt.getEpochSecond();
        List<SignedUrl> urls = new ArrayList<>(chunks.size());
        for (String chunk : chunks) {
            String object = location.objectName(chunk);
            String path = current.storageUrl().getPath() + "/" + container + "/" + object;
            String signature = signer.signature(access.method(), expires, path);
            URI url = URI.create(objectUrl(current, container, object)
                    + "?temp_url_sig=" + signature + "&temp_url_expires=" + expires);
            urls.add(new SignedUrl(chunk, url, access.method(),
                    access == StorageAccess.WRITE ? Map.of("If-None-Match", "*") : Map.of()));
        }
        return new SignedUrls(urls, Instant.ofEpochSecond(expires));
    }

    @Override
    public Set<String> missingChunks(StorageLocation location, Collection<String> chunks) {
        Set<String> missing = new LinkedHashSet<>(chunks);
        missing.removeAll(storedChunks(location, chunks).keySet());
        return missing;
    }

    @Override
    public Map<String, StoredChunk> storedChunks(StorageLocation location, Collection<String> chunks) {
        String container = container(location);
        Map<String, StoredChunk> stored = new LinkedHashMap<>();
        for (String chunk : chunks) {
            String object = location.objectName(chunk);
            HttpResponse<String> response = send("cannot check chunks", s -> request(objectUrl(s, container, object))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            if (response.statusCode() == 404) {
                continue;
            }
            expect(response, "cannot check chunks", 200, 204);
            long size = response.headers().firstValueAsLong("Content-Length").orElse(0);
            // X-Timestamp is the write time to the microsecond; Last-Modified only to the second.
            Instant written = response.headers().firstValue("X-Timestamp")
                    .map(SwiftChunkStorage::swiftTimestamp)
                    .orElseGet(() -> response.headers().firstValue("Last-Modified")
                            .map(value -> ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
                            .orElse(Instant.EPOCH));
            stored.put(chunk, new StoredChunk(chunk, size, written));
        }
        return stored;
    }

    private static Instant swiftTimestamp(String value) {
        java.math.BigDecimal seconds = new java.math.BigDecimal(value);
        return Instant.ofEpochSecond(seconds.longValue(),
                seconds.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
    }

    @Override
    public void deleteChunks(StorageLocation location, Collection<String> chunks) {
        String container = container(location);
        for (String chunk : chunks) {
            String object = location.objectName(chunk);
            HttpResponse<String> deleted = send("cannot delete " + object,
                    s -> request(objectUrl(s, container, object)).DELETE());
            expect(deleted, "cannot delete a chunk of " + container, 204, 404);
        }
    }

    private String container(StorageLocation location) {
        return Locations.require(backend(), location).container();
    }

    private static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT);
    }

    private static URI containerUrl(SwiftSession session, String container) {
        return URI.create(session.storageUrl() + "/" + encode(container));
    }

    private static URI objectUrl(SwiftSession session, String container, String object) {
        return URI.create(session.storageUrl() + "/" + encode(container) + "/" + encode(object));
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The session to send with, logging in first when there is none or its token is about to expire. */
    private SwiftSession currentSession() {
        return loggedIn(sessions::current);
    }

    /** Logs in again because Swift refused {@code stale}'s token, unless another thread already did. */
    private SwiftSession relogin(SwiftSession stale) {
        SwiftSession fresh = loggedIn(() -> sessions.renew(stale));
        healthy = true;
        return fresh;
    }

    private interface SessionSource {
        SwiftSession get() throws IOException, InterruptedException;
    }

    private SwiftSession loggedIn(SessionSource source) {
        try {
            return source.get();
        } catch (IOException e) {
            throw unavailable("cannot log in to Swift", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while logging in to Swift", e);
        }
    }

    /** Sends a request with the session's token; on 401 logs in again once and repeats it. */
    private HttpResponse<String> send(String what, Function<SwiftSession, HttpRequest.Builder> build) {
        SwiftSession current = currentSession();
        try {
            HttpResponse<String> response = http.send(build.apply(current).header("X-Auth-Token", current.token())
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401) {
                current = relogin(current);
                response = http.send(build.apply(current).header("X-Auth-Token", current.token()).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            return response;
        } catch (IOException e) {
            throw unavailable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, e);
        }
    }

    private void expect(HttpResponse<String> response, String what, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                healthy = true;
                return;
            }
        }
        throw unavailable(what, new IOException(response.request().method() + " " + response.uri().getPath()
                + " answered " + response.statusCode()));
    }

    private ServiceException unavailable(String what, Throwable cause) {
        healthy = false;
        log.warn("Swift: {}: {}", what, cause == null ? "" : cause.toString());
        return Failures.unavailable(what, cause);
    }
}
