package org.syncservice.server.account;

import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.auth.TokenHash;

/**
 * A device that got a new token, and the hash of the token it replaced (none for a new device).
 *
 * @param registered true when the device was created by this call
 */
public record TokenRotation(UUID deviceId, Optional<TokenHash> previousToken, boolean registered) {
}
