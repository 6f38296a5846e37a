package org.syncservice.embedded.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.syncservice.protocol.v1.SignedUrl;

/**
 * Moves chunk bytes to and from object storage through the signed URLs the service hands out,
 * with the JDK's HTTP client: no storage credentials on the device. Thread-safe.
 */
final class ChunkTransfer {
    /** Headers the JDK's HTTP client sets itself and refuses to take from the caller. */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "connection", "expect");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    void put(SignedUrl url, byte[] bytes) {
        send(url, HttpRequest.BodyPublishers.ofByteArray(bytes));
    }

    byte[] get(SignedUrl url) {
        return send(url, HttpRequest.BodyPublishers.noBody());
    }

    private byte[] send(SignedUrl url, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.getUrl()))
                .timeout(TIMEOUT)
                .method(url.getMethod(), body);
        url.getHeadersMap().forEach((name, value) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                request.header(name, value);
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new DemoFailure("storage could not be reached for chunk " + url.getChunk() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted while transferring chunk " + url.getChunk(), e);
        }
        // 412 to a PUT: WRITE URLs forbid replacing a stored chunk, and this one is stored already.
        boolean stored = response.statusCode() == 412 && "PUT".equals(url.getMethod());
        if (response.statusCode() / 100 != 2 && !stored) {
            throw new DemoFailure("storage answered HTTP " + response.statusCode() + " to " + url.getMethod()
                    + " of chunk " + url.getChunk());
        }
        return response.body();
    }
}
