package org.syncservice.desktop.state;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * PLACEHOLDER, TO BE REPLACED with the state database's reader: it only has the agreed signature
 * so that the command line compiles.
 */
public final class StatusReader {

    private StatusReader() {
    }

    /** Placeholder: there is never any state. */
    public static StatusReport read(Path stateDirectory) throws IOException {
        throw new NoSuchFileException(stateDirectory.resolve("state.db").toString());
    }
}
