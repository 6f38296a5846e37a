package org.syncservice.server.account;

import java.time.Instant;
import java.util.UUID;

/**
 * A user as an operator lists them: quota and how many devices and owned workspaces they have.
 * Immutable.
 *
 * @param devices registered devices that are not revoked
 * @param workspaces workspaces the user owns (the default one included)
 */
public record UserSummary(UUID userId, String email, String name, long quotaUsedBytes, long quotaLimitBytes,
                          int devices, int workspaces, Instant createdAt) {
}
