package org.syncservice.client.conflicts;

import java.util.function.Predicate;

/**
 * Decides what happens when both sides edited the same file. A client passes its own
 * implementation, or uses {@link KeepBothResolver} (the default) or {@link NewestWinsResolver}.
 *
 * <p>An implementation must be thread-safe when the client resolves conflicts from several threads,
 * must not block on I/O, and cannot lose data: {@link Resolution}'s factories refuse what would.
 */
@FunctionalInterface
public interface ConflictResolver {

    /**
     * Resolves one conflict.
     *
     * @param conflict both sides of the conflict
     * @param nameTaken whether a name is taken in the conflicted file's folder, locally or remotely;
     *     a conflicted copy must get a name for which it answers false
     * @return what to do
     */
    Resolution resolve(Conflict conflict, Predicate<String> nameTaken);

    /** The default resolver: keep both, the local edit as a conflicted copy. */
    static ConflictResolver keepBoth() {
        return new KeepBothResolver();
    }

    /** The newer modification time keeps the name; the older side is kept as a conflicted copy. */
    static ConflictResolver newestWins() {
        return new NewestWinsResolver();
    }
}
