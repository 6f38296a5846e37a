package org.syncservice.server.account;

import java.util.UUID;
import org.syncservice.server.auth.TokenHash;

/** A device to register, keyed for idempotency by its user and the login's request id. Immutable. */
public record NewDevice(UUID deviceId, UUID userId, String registrationRequestId, String name, String os,
                        String appVersion, TokenHash tokenHash) {
}
