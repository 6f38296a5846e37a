package org.syncservice.desktop.content;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A local file's bytes are no longer those that were read: it was written to while it was read,
 * or since. The caller reads it again later, once it is quiet.
 */
public final class ContentChangedException extends IOException {

    private final transient Path file;

    public ContentChangedException(Path file, String message) {
        super(file + " changed while it was read: " + message);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
