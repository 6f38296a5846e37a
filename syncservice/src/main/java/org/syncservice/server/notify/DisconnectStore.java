package org.syncservice.server.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The devices whose broker connections are still to be closed: rows written in the transaction
 * that revoked or signed out the device, kept until a sweep after its last broker token expired.
 * Implementations are thread-safe; several sweepers (in one process or many) may work on one store
 * at once (closing twice is harmless). Failures are
 * {@link org.syncservice.server.core.ServiceException}s of kind UNAVAILABLE.
 */
public interface DisconnectStore {

    /**
     * A device to disconnect.
     *
     * @param requestedAt when it was revoked or signed out (the database's clock)
     * @param tokensExpired whether every broker token issued before then has expired by now, so
     *     that the device cannot open another connection: a sweep that closes what is left is the last
     */
    record Pending(UUID deviceId, Instant requestedAt, boolean tokensExpired) {
    }

    /**
     * Up to {@code limit} devices to disconnect, oldest first, leaving out those whose
     * DeviceRevoked notification is still to be published (the device is told before it is cut off).
     *
     * @param tokenLifetime how long a broker token lives, plus any slack for clocks and commits
     */
    List<Pending> pending(int limit, Duration tokenLifetime);

    /** Forgets a device once disconnected for good, unless it was revoked again since {@code requestedAt}. */
    void done(Pending pending);
}
