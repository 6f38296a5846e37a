package org.syncservice.server.testing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Sends uploads a store must refuse. A store may answer an oversized upload at once and close the
 * connection while the rest of the body is still coming (S3Proxy does, depending on timing); the
 * client then sees the connection end instead of the answer. Either is a refusal; a test checks
 * besides that nothing was stored.
 */
public final class RefusedUploads {
    /** What {@link #status} gives when the store cut the connection instead of answering. */
    public static final int CUT = -1;

    private RefusedUploads() {
    }

    /** The upload's status code, or {@link #CUT}. */
    public static int status(HttpClient http, HttpRequest upload) throws InterruptedException {
        try {
            return http.send(upload, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return CUT;
        }
    }
}
