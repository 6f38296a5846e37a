package org.syncservice.server.account;

import java.util.Optional;
import java.util.UUID;

/**
 * A login as the service logic sees it, free of wire types. Empty strings mean "not given".
 *
 * @param deviceId an existing device to log in again; empty registers a new one
 * @param requestId the client's request id: registration is idempotent per (user, request id)
 */
public record LoginAttempt(String email, String password, Optional<UUID> deviceId, String deviceName, String os,
                           String appVersion, String requestId) {

    @Override
    public String toString() {
        return "LoginAttempt[" + email + ", device " + deviceId + ", request " + requestId + "]";
    }
}
