package org.syncservice.server.auth;

import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;

/**
 * Turns a device token into the caller it proves. The only source of user and device identity:
 * nothing a client writes in a request's other fields is trusted for that. Implementations are
 * thread-safe.
 */
public interface Authenticator {

    /**
     * @return the caller the token belongs to
     * @throws ServiceException of kind UNAUTHENTICATED for a missing, unknown, unregistered or
     *     revoked device's token; of kind UNAVAILABLE when the check cannot be made now
     */
    Principal authenticate(String token);
}
