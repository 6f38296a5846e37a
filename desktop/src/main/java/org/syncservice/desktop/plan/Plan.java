package org.syncservice.desktop.plan;

import java.util.List;
import java.util.Optional;

/**
 * One round of work: local operations to run first, in order, then commits, in the order a commit
 * request must carry them (deleted files free their names before anything else, items move out of
 * folders before those are deleted, new folders come before what goes into them). Immutable.
 *
 * @param local what to do in the folder and the state database
 * @param commits what to commit
 * @param blocked why deletions were held back (the mass-deletion guard), if they were
 */
public record Plan(List<LocalOp> local, List<CommitOp> commits, Optional<String> blocked) {

    public Plan {
        local = List.copyOf(local);
        commits = List.copyOf(commits);
    }

    public boolean isEmpty() {
        return local.isEmpty() && commits.isEmpty();
    }
}
