package org.syncservice.server;

import org.syncservice.server.config.StorageConfig;

/**
 * The one-line messages an operator reads when a component cannot be used, the same from the
 * service and from admin commands, and quoted in README's troubleshooting table. Each names the
 * component, where it was looked for (never with credentials) and the cause the component gave.
 * Stateless and thread-safe.
 */
final class FailureMessages {

    private FailureMessages() {
    }

    static String cannotConnectToDatabase(String url, Throwable cause) {
        return "cannot connect to PostgreSQL at " + url + ": " + rootMessage(cause);
    }

    static String cannotUseStorage(StorageConfig storage, Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        Throwable root = root(cause);
        return "cannot use the storage back-end (" + storage.describe() + "): " + message
                + (root == cause ? "" : ": " + rootMessage(root));
    }

    /** The message of the innermost cause, which says what actually went wrong (refused, unknown host...). */
    static String rootMessage(Throwable e) {
        Throwable root = root(e);
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
