package org.syncservice.server.storage.swift;

import java.io.IOException;
import java.time.Clock;

/**
 * Holds the current Swift session: logs in on first use, again once the session is due for
 * renewal (before its token expires, so requests do not meet a 401 at every expiry), and again
 * when Swift refused its token. Concurrent callers share one login. Thread-safe.
 */
final class SessionKeeper {
    private final SwiftLogin login;
    private final Clock clock;
    private final Object loginLock = new Object();
    private volatile SwiftSession session;

    SessionKeeper(SwiftLogin login, Clock clock) {
        this.login = login;
        this.clock = clock;
    }

    /** The session to send the next request with, renewed first when it is due. */
    SwiftSession current() throws IOException, InterruptedException {
        SwiftSession current = session;
        if (current != null && !current.dueForRenewal(clock.instant())) {
            return current;
        }
        return renew(current);
    }

    /** Logs in again because Swift refused {@code stale}'s token, unless another thread already did. */
    SwiftSession renew(SwiftSession stale) throws IOException, InterruptedException {
        synchronized (loginLock) {
            SwiftSession current = session;
            if (current != null && current != stale && !current.dueForRenewal(clock.instant())) {
                return current;
            }
            SwiftSession fresh = login.login();
            session = fresh;
            return fresh;
        }
    }

    /** The session in use, without logging in; null before the first login or after {@link #forget()}. */
    SwiftSession peek() {
        return session;
    }

    /** Makes the next request carry a token Swift refuses, as after an expiry it did not announce. For tests. */
    void replaceTokenForTest(String token) throws IOException, InterruptedException {
        SwiftSession current = current();
        session = current.withToken(token);
    }

    void forget() {
        session = null;
    }
}
