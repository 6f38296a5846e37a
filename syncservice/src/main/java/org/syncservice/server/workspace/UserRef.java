package org.syncservice.server.workspace;

import java.util.UUID;

/** A user named by email in a sharing request. Immutable. */
public record UserRef(UUID userId, String email) {
}
