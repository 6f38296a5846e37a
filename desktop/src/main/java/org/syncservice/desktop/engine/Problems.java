package org.syncservice.desktop.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.state.RemoteItem;
import org.syncservice.desktop.state.StateDatabase;
import org.syncservice.desktop.state.StateDatabase.ProblemRecord;

/**
 * Paths the client cannot sync, kept in the state database for {@code status}, and skipped instead
 * of retried in a loop: a name the service refused is tried again only once the file changes; a
 * remote item whose name the local file system refuses only once the service has a new version of
 * it. Used from the engine thread only.
 */
final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    private static final String LOCAL = "local:";
    private static final String ITEM = "item:";
    /** A file another device holds locked: "locked:<retry_at_ms>:" and the local signature. */
    static final String LOCKED = "locked:";
    /**
     * The longest a held-back edit waits before it is sent again although no unlock event came: an
     * event can be lost (a queue dropped while the device was away), a retry that meets the lock
     * again costs one refused commit.
     */
    static final long LOCK_RECHECK_MS = 30_000;

    private final StateDatabase state;

    Problems(StateDatabase state) {
        this.state = state;
    }

    /** The service refused to take the local entry: it is not tried again until it changes. */
    void serviceRefused(String path, LocalEntry entry, String reason) {
        state.putProblem(new ProblemRecord(path, reason, signature(entry)));
        LOG.warn("skipping {}: {}", path, reason);
    }

    /**
     * Another device holds the file locked: the local edit is kept and not sent again until the
     * lock goes (its expiry passes, or an unlock event clears it: {@link RemoteFeed#onItemLock}) or
     * the file changes; and at the latest after {@link #LOCK_RECHECK_MS}, in case the event was lost.
     */
    void lockedOut(String path, LocalEntry entry, String reason, long expiresAtMs) {
        long retryAt = Math.min(expiresAtMs, System.currentTimeMillis() + LOCK_RECHECK_MS);
        state.putProblem(new ProblemRecord(path, reason, LOCKED + retryAt + ':' + signature(entry)));
        LOG.info("holding back {}: {}", path, reason);
    }

    /** The local file system refused the name of a remote item. */
    void localNameRefused(String path, RemoteItem item, Exception e) {
        String reason = "this file system refuses the name: " + e.getMessage();
        state.putProblem(new ProblemRecord(path, reason, ITEM + item.itemId() + ':' + item.version()));
        LOG.warn("skipping {}: {}", path, reason);
    }

    /** Local paths not to commit this round; forgets problems of paths that changed or are gone. */
    Set<String> skippedPaths(Map<String, LocalEntry> local) {
        Set<String> skipped = new HashSet<>();
        List<String> stale = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (ProblemRecord p : state.problems().values()) {
            String localSignature = p.signature();
            if (localSignature.startsWith(LOCKED)) {
                int end = localSignature.indexOf(':', LOCKED.length());
                if (now >= Long.parseLong(localSignature.substring(LOCKED.length(), end))) {
                    stale.add(p.path()); // the lock expired, or it is time to look again
                    continue;
                }
                localSignature = localSignature.substring(end + 1);
            }
            if (!localSignature.startsWith(LOCAL)) {
                continue;
            }
            LocalEntry e = local.get(p.path());
            if (e == null || !localSignature.equals(signature(e))) {
                stale.add(p.path());
            } else {
                skipped.add(p.path());
            }
        }
        state.clearProblems(stale);
        return skipped;
    }

    /** Remote items not to create locally this round; forgets problems of items that changed. */
    Set<Long> skippedItems(Map<Long, RemoteItem> remote) {
        Set<Long> skipped = new HashSet<>();
        List<String> stale = new ArrayList<>();
        for (ProblemRecord p : state.problems().values()) {
            if (!p.signature().startsWith(ITEM)) {
                continue;
            }
            String[] parts = p.signature().substring(ITEM.length()).split(":");
            RemoteItem r = remote.get(Long.parseLong(parts[0]));
            if (r == null || r.deleted() || r.version() != Long.parseLong(parts[1])) {
                stale.add(p.path());
            } else {
                skipped.add(r.itemId());
            }
        }
        state.clearProblems(stale);
        return skipped;
    }

    /** Clears the problem of a path that synced after all. */
    void solved(String path) {
        state.clearProblems(List.of(path));
    }

    private static String signature(LocalEntry e) {
        return LOCAL + e.size() + ':' + e.modifiedMs() + ':' + e.fileKey();
    }
}
