package org.syncservice.desktop.cli;

import java.util.Optional;

/** This client's version, from the jar's manifest ({@code dev} when run from classes). Stateless. */
final class Versions {

    private Versions() {
    }

    static String current() {
        return Optional.ofNullable(Versions.class.getPackage().getImplementationVersion()).orElse("dev");
    }
}
