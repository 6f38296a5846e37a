package org.syncservice.server.storage;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One chunk's signed URL: send {@code method} to {@code url} with {@code headers} (beyond Host,
 * which every HTTP client sets) for the signature to hold. Immutable.
 */
public record SignedUrl(String chunk, URI url, String method, Map<String, String> headers) {

    public SignedUrl {
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        headers = Map.copyOf(headers);
    }
}
