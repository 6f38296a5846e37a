package org.syncservice.server.admin;

/** An admin command's arguments are wrong; the message says which, in one line. */
final class AdminUsageException extends RuntimeException {

    AdminUsageException(String message) {
        super(message, null, false, false);
    }
}
