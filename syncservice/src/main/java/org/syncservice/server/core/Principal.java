package org.syncservice.server.core;

import java.util.Objects;
import java.util.UUID;

/** The authenticated caller of a request: a device of a user, as proven by its token. Immutable. */
public record Principal(UUID userId, UUID deviceId) {

    public Principal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(deviceId, "deviceId");
    }
}
