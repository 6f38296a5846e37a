package org.syncservice.server.retention;

import java.time.Duration;

/** Waits between two batches; false when the work should stop instead (shutdown). */
@FunctionalInterface
public interface Pause {

    boolean await(Duration pause);

    /** Sleeps the whole pause; stops when the thread is interrupted. */
    static Pause sleeping() {
        return pause -> {
            try {
                Thread.sleep(pause.toMillis());
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }
}
