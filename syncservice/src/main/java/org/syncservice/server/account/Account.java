package org.syncservice.server.account;

import java.util.UUID;

/** A user's account as shown to them: name, email and quota. Immutable. */
public record Account(UUID userId, String name, String email, long quotaLimitBytes, long quotaUsedBytes) {
}
