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

    private final StateDatabase state;

    Problems(StateDatabase state) {
        this.state = state;
    }

    /** The service refused to take the local entry: it is not tried again until it changes. */
    void serviceRefused(String path, LocalEntry entry, String reason) {
        state.putProblem(new ProblemRecord(path, reason, signature(entry)));
        LOG.warn("skipping {}: {}", path, reason);
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
        for (ProblemRecord p : state.problems().values()) {
            if (!p.signature().startsWith(LOCAL)) {
                continue;
            }
            LocalEntry e = local.get(p.path());
            if (e == null || !p.signature().equals(signature(e))) {
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
