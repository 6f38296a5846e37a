package org.syncservice.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.syncservice.client.SyncServiceException;

/** A call the service must refuse, and its error. Stateless. */
public final class Refusals {

    private Refusals() {
    }

    /** The service's error for the call; fails unless the service (not the client) refused it. */
    public static SyncServiceException refusal(Runnable call) {
        try {
            call.run();
        } catch (SyncServiceException e) {
            assertThat(e.isLocal()).as("a reply from the service: %s", e).isFalse();
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }
}
