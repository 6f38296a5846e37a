package org.syncservice.server.account;

import java.util.UUID;

/** A successful login: the device and its fresh token (shown once, never stored). Immutable. */
public record LoginResult(UUID userId, UUID deviceId, String token, boolean registered, Account account) {

    @Override
    public String toString() {
        return "LoginResult[" + userId + ", " + deviceId + "]";
    }
}
