package org.syncservice.server.account;

import java.util.UUID;

/** A user to create; the email is already lower-cased and the password already hashed. Immutable. */
public record NewUser(UUID userId, String email, String name, String passwordHash, long quotaLimitBytes) {

    @Override
    public String toString() {
        return "NewUser[" + userId + ", " + email + "]";
    }
}
