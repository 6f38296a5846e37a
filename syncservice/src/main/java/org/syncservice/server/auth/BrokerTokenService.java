package org.syncservice.server.auth;

import java.util.UUID;
import org.syncservice.server.core.ServiceException;

/**
 * Hands out broker tokens to devices, never to one that is unregistered or revoked. A refresh
 * looks the device up in the database, past the authenticator's cache: with tokens as long-lived
 * as that cache ({@code auth.token-cache-ttl}), a revoked device's last token then expires at
 * most one token lifetime after the revocation, on whichever instance it asks. Thread-safe.
 */
public final class BrokerTokenService {
    private final DeviceCredentialStore devices;
    private final BrokerTokenIssuer issuer;

    public BrokerTokenService(DeviceCredentialStore devices, BrokerTokenIssuer issuer) {
        this.devices = devices;
        this.issuer = issuer;
    }

    /** The token of a device that has just proven its user's password (login). */
    public BrokerToken forLoggedInDevice(UUID deviceId) {
        return issuer.forDevice(deviceId);
    }

    /**
     * A fresh token for the device whose device token this is.
     *
     * @throws ServiceException UNAUTHENTICATED when the device token is no longer its device's
     *     current one, or the device was unregistered or revoked
     */
    public BrokerToken refresh(String deviceToken, UUID expectedDevice) {
        ActiveDevice device = devices.findActiveDevice(TokenHash.of(deviceToken))
                .filter(found -> found.principal().deviceId().equals(expectedDevice))
                .orElseThrow(() -> ServiceException.unauthenticated(TokenAuthenticator.UNKNOWN_TOKEN));
        return issuer.forDevice(device.principal().deviceId());
    }
}
