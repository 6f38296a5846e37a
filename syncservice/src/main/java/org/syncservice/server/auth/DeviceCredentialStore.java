package org.syncservice.server.auth;

import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.core.Principal;

/**
 * What authentication needs from storage. Implementations are thread-safe and throw
 * {@link org.syncservice.server.core.ServiceException} of kind UNAVAILABLE when storage cannot be
 * reached.
 */
public interface DeviceCredentialStore {

    /** The registered, not revoked device whose current token has this hash. */
    Optional<ActiveDevice> findActiveDevice(TokenHash tokenHash);

    /** Records that the device was seen now (its {@code last_seen_at}). */
    void recordSeen(UUID deviceId);
}
