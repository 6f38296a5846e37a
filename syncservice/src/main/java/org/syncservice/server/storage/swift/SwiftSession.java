package org.syncservice.server.storage.swift;

import java.net.URI;
import java.util.Objects;

/** A logged-in session: the account's storage URL ({@code .../v1/AUTH_x}) and its token. Immutable. */
record SwiftSession(URI storageUrl, String token) {

    SwiftSession {
        Objects.requireNonNull(storageUrl, "storageUrl");
        Objects.requireNonNull(token, "token");
        String url = storageUrl.toString();
        if (url.endsWith("/")) {
            storageUrl = URI.create(url.substring(0, url.length() - 1));
        }
    }

    @Override
    public String toString() {
        return "SwiftSession[" + storageUrl + "]";
    }
}
