package org.syncservice.server.account;

import java.util.UUID;

/** A user created by provisioning, with their default workspace. Immutable. */
public record CreatedUser(UUID userId, UUID defaultWorkspaceId) {
}
