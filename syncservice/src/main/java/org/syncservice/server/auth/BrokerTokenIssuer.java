package org.syncservice.server.auth;

import java.util.UUID;

/**
 * Signs broker tokens: what the broker needs to know a device and confine it to its own queue.
 * Implementations are thread-safe.
 */
public interface BrokerTokenIssuer {

    /** A fresh token for the device, valid for the issuer's configured lifetime. */
    BrokerToken forDevice(UUID deviceId);
}
