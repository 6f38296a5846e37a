package org.syncservice.desktop.content;

import java.io.IOException;

/** A chunk could not be moved to or from storage; {@link #chunk()} names it, {@link #reason()} says why. */
public final class ChunkTransferException extends IOException {

    /** Why a chunk failed. */
    public enum Reason {
        /** The storage does not hold the chunk (HTTP 404 to a GET). */
        MISSING,
        /** The bytes the storage returned do not hash to the chunk's name, or are too many. */
        CORRUPT,
        /** The storage refused the request, and kept refusing after retries where retrying helps. */
        REFUSED,
        /** The storage could not be reached, after retries. */
        UNREACHABLE
    }

    private final String chunk;
    private final Reason reason;

    public ChunkTransferException(String chunk, Reason reason, String message, Throwable cause) {
        super("chunk " + chunk + ": " + message, cause);
        this.chunk = chunk;
        this.reason = reason;
    }

    public String chunk() {
        return chunk;
    }

    public Reason reason() {
        return reason;
    }
}
