package org.syncservice.server.account;

import java.util.Optional;
import org.syncservice.server.auth.TokenHash;

/**
 * The outcome of unregistering a device that exists.
 *
 * @param previousToken the hash of the token that stopped working; empty when it was already revoked
 */
public record Revocation(Optional<TokenHash> previousToken, boolean alreadyRevoked) {
}
