package org.syncservice.desktop.content;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.syncservice.protocol.v1.SignedUrl;

/** Single HTTP requests through signed URLs: exactly the signed method, URL and headers. Thread-safe. */
final class SignedRequests {
    /** Headers the JDK's HTTP client sets itself and refuses to take from the caller. */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "connection", "expect");

    private final HttpClient http;
    private final Duration timeout;

    SignedRequests(Duration timeout) {
        // Object stores speak HTTP/1.1; asking for HTTP/2 would only add an upgrade attempt.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.timeout = timeout;
    }

    /** A response: its status and, for a 2xx, up to the limit asked for plus one byte of its body. */
    record Response(int status, byte[] body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    Response put(SignedUrl url, byte[] bytes) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = bytes.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.fromPublisher(new ArrayBody(bytes), bytes.length);
        HttpResponse<Void> response = http.send(request(url, body), HttpResponse.BodyHandlers.discarding());
        return new Response(response.statusCode(), new byte[0]);
    }

    /**
     * A GET that reads at most {@code limit + 1} bytes, so an oversized body is seen without being
     * held.
     */
    Response get(SignedUrl url, int limit) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(request(url, HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status / 100 != 2) {
                return new Response(status, new byte[0]);
            }
            long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
            if (declared < 0 || declared > limit) {
                return new Response(status, body.readNBytes(limit + 1));
            }
            // The length is known: one array of it, not the growing copies readNBytes would make.
            byte[] bytes = new byte[(int) declared];
            int read = body.readNBytes(bytes, 0, bytes.length);
            return new Response(status, read == bytes.length ? bytes : Arrays.copyOf(bytes, read));
        }
    }

    private HttpRequest request(SignedUrl url, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.getUrl()))
                .timeout(timeout)
                .method(url.getMethod(), body);
        url.getHeadersMap().forEach((name, value) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                request.header(name, value);
            }
        });
        return request.build();
    }
}
