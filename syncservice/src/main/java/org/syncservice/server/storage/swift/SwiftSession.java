package org.syncservice.server.storage.swift;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A logged-in session: the account's storage URL ({@code .../v1/AUTH_x}), its token, and when to
 * log in again before the token expires ({@link Instant#MAX} when the auth service announced no
 * expiry: then only a 401 says it has). Immutable.
 */
record SwiftSession(URI storageUrl, String token, Instant renewAt) {

    SwiftSession {
        Objects.requireNonNull(storageUrl, "storageUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(renewAt, "renewAt");
        String url = storageUrl.toString();
        if (url.endsWith("/")) {
            storageUrl = URI.create(url.substring(0, url.length() - 1));
        }
    }

    /** A session whose token has no announced expiry. */
    SwiftSession(URI storageUrl, String token) {
        this(storageUrl, token, Instant.MAX);
    }

    boolean dueForRenewal(Instant now) {
        return !now.isBefore(renewAt);
    }

    SwiftSession withToken(String replacement) {
        return new SwiftSession(storageUrl, replacement, renewAt);
    }

    @Override
    public String toString() {
        return "SwiftSession[" + storageUrl + "]";
    }
}
