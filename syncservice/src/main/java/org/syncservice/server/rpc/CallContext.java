package org.syncservice.server.rpc;

import java.time.Instant;
import java.util.Optional;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;

/**
 * What a handler knows about the call it serves, beyond the request itself. Immutable.
 *
 * @param requestId the client's request id (the idempotency key, with the device)
 * @param principal the authenticated caller; empty only for operations that need no token
 * @param receivedAt when the service took the request from the queue
 */
public record CallContext(String requestId, Optional<Principal> principal, Instant receivedAt) {

    /** The caller, for operations that require authentication (the processor guarantees it). */
    public Principal caller() {
        return principal.orElseThrow(() -> ServiceException.unauthenticated("a device token is required"));
    }
}
