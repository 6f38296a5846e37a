package org.syncservice.server.auth;

/**
 * Told when a token stops being valid (the device logged in again, or was unregistered), so
 * that caches on this instance forget it at once. Thread-safe.
 */
public interface TokenRevocations {

    void revoked(TokenHash tokenHash);
}
