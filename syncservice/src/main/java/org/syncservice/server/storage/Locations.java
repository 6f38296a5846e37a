package org.syncservice.server.storage;

import org.syncservice.server.config.StorageConfig;

/** Checks shared by the back-ends. */
public final class Locations {

    private Locations() {
    }

    /** Refuses a location of another back-end: a programming or migration error, never a client's. */
    public static StorageLocation require(StorageConfig.Backend backend, StorageLocation location) {
        if (location.backend() != backend) {
            throw new IllegalArgumentException("a " + location.backend() + " location given to the "
                    + backend + " back-end: " + location);
        }
        return location;
    }
}
