package org.syncservice.server.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT as a request to stop, awaited by the main thread, which then stops what it
 * runs in order and exits 0, as a clean stop should. Left to the JVM, the signals would exit 143 or
 * 130 after running every shutdown hook at once, in no order (libraries' hooks included). Thread-safe.
 */
public final class StopSignals {
    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private final CountDownLatch requested = new CountDownLatch(1);

    private StopSignals() {
    }

    /** Handles SIGTERM and SIGINT from now on (where the JVM lets it: not under -Xrs). */
    @SuppressWarnings("removal")
    public static StopSignals handle() {
        StopSignals signals = new StopSignals();
        try {
            for (String name : new String[] {"TERM", "INT"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> signals.requested.countDown());
            }
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            log.debug("cannot handle stop signals: {}", e.toString());
        }
        return signals;
    }

    /** Blocks until a stop signal arrives. */
    public void await() throws InterruptedException {
        requested.await();
    }
}
