package org.syncservice.client.conflicts;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * What to do about a {@link Conflict}. Built only through the factories, which refuse any
 * resolution that would lose one side's bytes. Immutable and thread-safe.
 */
public final class Resolution {

    /** Which side keeps the original name. */
    public enum Outcome {
        /**
         * The remote version takes the original name; the local edit is kept as a conflicted copy
         * under {@link #copyName()}, which then syncs like any other file.
         */
        KEEP_BOTH,
        /**
         * The local edit is committed over the remote version, which stays in the item's version
         * history; when {@link #copyName()} is present the remote version is also written beside it
         * as a conflicted copy under that name.
         */
        LOCAL_WINS,
        /**
         * The remote version replaces the local file, with no copy: allowed only where the local
         * content is already in the item's version history
         * ({@link Conflict.LocalVersion#inVersionHistory()}).
         */
        REMOTE_WINS
    }

    private final Outcome outcome;
    private final String copyName;

    private Resolution(Outcome outcome, String copyName) {
        this.outcome = outcome;
        this.copyName = copyName;
    }

    /**
     * The remote version keeps the original name; the local edit moves to {@code copyName}.
     *
     * @param copyName a file name (no {@code /}) in the conflicted file's folder, at most 255 UTF-8 bytes
     */
    public static Resolution keepBoth(String copyName) {
        return new Resolution(Outcome.KEEP_BOTH, requireName(copyName));
    }

    /** The local edit is committed over the remote version, which survives in version history only. */
    public static Resolution localWins() {
        return new Resolution(Outcome.LOCAL_WINS, null);
    }

    /**
     * The local edit is committed over the remote version, and the remote version is also written
     * beside it under {@code copyName}.
     *
     * @param copyName a file name (no {@code /}) in the conflicted file's folder, at most 255 UTF-8 bytes
     */
    public static Resolution localWinsKeepingRemoteCopy(String copyName) {
        return new Resolution(Outcome.LOCAL_WINS, requireName(copyName));
    }

    /**
     * The remote version replaces the local file.
     *
     * @param conflict the conflict resolved
     * @throws IllegalArgumentException when the local content is not in the item's version history,
     *     since replacing it would lose it
     */
    public static Resolution remoteWins(Conflict conflict) {
        if (!conflict.local().inVersionHistory()) {
            throw new IllegalArgumentException("remote wins would lose the local edit of " + conflict.path()
                    + ": its content is in no version the service holds; keep both instead");
        }
        return new Resolution(Outcome.REMOTE_WINS, null);
    }

    /** Which side keeps the original name. */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * The name of the conflicted copy to write in the same folder: the local edit's for
     * {@link Outcome#KEEP_BOTH}, the remote version's for {@link Outcome#LOCAL_WINS}; empty when no
     * copy is made.
     */
    public Optional<String> copyName() {
        return Optional.ofNullable(copyName);
    }

    private static String requireName(String name) {
        Objects.requireNonNull(name, "copyName");
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("copyName: expected a file name, got '" + name + "'");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > ConflictedCopyNames.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("copyName: expected at most " + ConflictedCopyNames.MAX_NAME_BYTES
                    + " UTF-8 bytes");
        }
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Resolution other && outcome == other.outcome && Objects.equals(copyName, other.copyName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outcome, copyName);
    }

    @Override
    public String toString() {
        return copyName == null ? outcome.toString() : outcome + "(" + copyName + ")";
    }
}
