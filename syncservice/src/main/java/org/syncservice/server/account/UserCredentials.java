package org.syncservice.server.account;

import java.util.UUID;

/** What login checks a password against. Immutable; never leaves the service. */
public record UserCredentials(UUID userId, String passwordHash) {

    @Override
    public String toString() {
        return "UserCredentials[" + userId + "]";
    }
}
