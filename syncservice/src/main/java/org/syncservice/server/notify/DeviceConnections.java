package org.syncservice.server.notify;

import java.util.UUID;

/**
 * The open broker connections of devices, as the broker reports them: what a revocation closes.
 * Implementations are thread-safe; failures to reach the broker's interface are
 * {@link org.syncservice.server.core.ServiceException}s of kind UNAVAILABLE.
 */
public interface DeviceConnections {

    /** None closed: where nothing is configured to close them, a revoked device's connection is only contained. */
    DeviceConnections NONE = new DeviceConnections() {
        @Override
        public int close(UUID deviceId, String reason) {
            return 0;
        }

        @Override
        public String describe() {
            return "not closed (amqp.management-url is not set): contained by the expiry of their broker tokens";
        }
    };

    /**
     * Closes every connection the device's broker identity has open in the service's virtual host,
     * telling the client {@code reason}; a device without connections is fine.
     *
     * @return how many were closed
     */
    int close(UUID deviceId, String reason);

    /** How connections are closed, for the start-up log; names nothing secret. */
    String describe();
}
