package org.syncservice.server.testing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Sends uploads a store must refuse. A store may answer an oversized upload at once and close the
 * connection while the rest of the body is still coming (S3Proxy does, depending on timing); the
 * client then sees the connection end instead of the answer. Either is a refusal; a test checks
 * besides that nothing was stored. The upload goes on a client of its own, so that a connection
 * the store is closing is never pooled for the test's next request (which would then meet the
 * closed connection, "header parser received no bytes", instead of its answer).
 */
public final class RefusedUploads {
    /** What {@link #status} gives when the store cut the connection instead of answering. */
    public static final int CUT = -1;

    private RefusedUploads() {
    }

    /** The upload's status code, or {@link #CUT}; {@code http} gives the HTTP version and time-outs. */
    public static int status(HttpClient http, HttpRequest upload) throws InterruptedException {
        HttpClient ownConnections = HttpClient.newBuilder().version(http.version())
                .connectTimeout(http.connectTimeout().orElse(java.time.Duration.ofSeconds(10))).build();
        try {
            return ownConnections.send(upload, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return CUT;
        }
    }
}
