package org.syncservice.server.account;

import java.util.Optional;

/** A device's description as a change: an empty value leaves the stored one as it is. Immutable. */
public record DeviceDetails(Optional<String> name, Optional<String> os, Optional<String> appVersion) {

    public static DeviceDetails none() {
        return new DeviceDetails(Optional.empty(), Optional.empty(), Optional.empty());
    }
}
