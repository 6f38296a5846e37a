package org.syncservice.server.account;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A registered device as its user sees it. Immutable. */
public record DeviceInfo(
        UUID deviceId,
        String name,
        String os,
        String appVersion,
        Optional<String> lastIp,
        Optional<Instant> lastSeenAt,
        Instant registeredAt) {
}
