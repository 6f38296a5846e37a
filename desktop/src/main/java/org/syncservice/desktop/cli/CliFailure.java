package org.syncservice.desktop.cli;

/** A run-time failure told to the user in one line of standard error; leads to exit 1. */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliFailure(String message) {
        super(message);
    }

    CliFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
