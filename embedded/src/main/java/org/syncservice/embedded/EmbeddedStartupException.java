package org.syncservice.embedded;

/** The embedded mode cannot start for a reason the person running it can fix; the message, one line, says which. */
public final class EmbeddedStartupException extends Exception {
    EmbeddedStartupException(String message) {
        super(message);
    }
}
