package org.syncservice.server.store.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What one transaction stores answers under (request_log keys), and whether its COMMIT may be on
 * its way to the server: what {@link Transactions} needs to find out, when the connection breaks
 * around the COMMIT, whether the transaction committed. Not thread-safe: one transaction, one thread.
 */
final class StoredAnswers {
    /** The key of one stored answer. */
    record Key(UUID deviceId, String requestId) {
    }

    private final List<Key> keys = new ArrayList<>();
    private final boolean idempotent;
    private boolean commitSent;

    /** For a transaction that stores an answer, or whose retry would not answer alike. */
    StoredAnswers() {
        this(false);
    }

    private StoredAnswers(boolean idempotent) {
        this.idempotent = idempotent;
    }

    /**
     * For a transaction that stores no answer but whose retry answers as it did (it sets a state):
     * when its COMMIT is in doubt, its retry gives the answer.
     */
    static StoredAnswers naturallyIdempotent() {
        return new StoredAnswers(true);
    }

    boolean retryAnswersAlike() {
        return idempotent;
    }

    /** The transaction writes the answer of this request. */
    void add(UUID deviceId, String requestId) {
        keys.add(new Key(deviceId, requestId));
    }

    /**
     * The next statement carries the COMMIT (or is the COMMIT): from now on a broken connection
     * leaves the outcome in doubt.
     */
    void commitSending() {
        commitSent = true;
    }

    boolean commitSent() {
        return commitSent;
    }

    List<Key> keys() {
        return List.copyOf(keys);
    }
}
