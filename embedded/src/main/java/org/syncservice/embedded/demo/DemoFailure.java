package org.syncservice.embedded.demo;

/** The demo saw something it did not expect; the message says what, in a sentence. */
public final class DemoFailure extends RuntimeException {

    DemoFailure(String message) {
        super(message);
    }

    DemoFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
