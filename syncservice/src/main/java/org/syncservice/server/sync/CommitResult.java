package org.syncservice.server.sync;

import java.util.List;

/**
 * The answer to a commit: one result per request item, in request order, and the change sequence
 * number the commit took (0 when it stored nothing). Immutable.
 */
public record CommitResult(List<ItemResult> results, long changeSeq) {

    public CommitResult {
        results = List.copyOf(results);
    }
}
