package org.syncservice.server.storage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The signed URLs of one request, in the order of the chunks asked for, all expiring together. Immutable. */
public record SignedUrls(List<SignedUrl> urls, Instant expiresAt) {

    public SignedUrls {
        urls = List.copyOf(urls);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
