package org.syncservice.server.auth;

import java.time.Instant;
import org.syncservice.server.core.Principal;

/**
 * A registered, not revoked device found by its token.
 *
 * @param principal its user and device
 * @param lastUsed when it was last seen (or registered, if never since)
 */
public record ActiveDevice(Principal principal, Instant lastUsed) {
}
