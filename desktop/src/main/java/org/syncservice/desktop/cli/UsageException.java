package org.syncservice.desktop.cli;

/** The command line is wrong; the message is one line for standard error and leads to exit 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
