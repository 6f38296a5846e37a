package org.syncservice.desktop.local;

import java.io.IOException;

/**
 * What stands at a path is something the client does not sync (a symbolic link, a device, a socket),
 * or a link stands in the way above it. Thrown by {@link FolderScanner#stat} so that the engine
 * neither replaces it nor writes through it.
 */
public final class UnsyncablePathException extends IOException {

    private final SkippedPath skipped;

    public UnsyncablePathException(SkippedPath skipped) {
        super(skipped.path() + " is not synced (" + skipped.reason() + ")");
        this.skipped = skipped;
    }

    /** The path and why it is not synced. */
    public SkippedPath skipped() {
        return skipped;
    }
}
