package org.syncservice.server.storage;

import java.time.Duration;
import org.syncservice.server.core.ServiceException;

/** How the back-ends report that storage cannot be reached or refused the service's own request. */
public final class Failures {
    /** A hint for clients: storage outages are rarely shorter than this. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private Failures() {
    }

    /**
     * An UNAVAILABLE failure; the client sees only {@code what} ("storage is unavailable: ..."), the
     * cause stays in the log.
     */
    public static ServiceException unavailable(String what, Throwable cause) {
        return ServiceException.unavailable("storage is unavailable: " + what, RETRY_AFTER, cause);
    }
}
