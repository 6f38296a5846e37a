package org.syncservice.server.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A device's broker identity: a signed token the broker authenticates it with, and when it stops
 * being accepted. Immutable; {@link #toString()} never shows the token.
 *
 * @param value the token itself, a secret of the device
 * @param expiresAt when the broker stops accepting it
 * @param validFor how long it was valid for when it was issued
 * @param brokerUser the broker user it authenticates (its subject)
 */
public record BrokerToken(String value, Instant expiresAt, Duration validFor, String brokerUser) {
    public BrokerToken {
        Objects.requireNonNull(brokerUser, "brokerUser");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(validFor, "validFor");
    }

    @Override
    public String toString() {
        return "BrokerToken[expiresAt=" + expiresAt + "]";
    }
}
