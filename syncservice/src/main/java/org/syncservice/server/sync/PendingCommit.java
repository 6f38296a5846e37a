package org.syncservice.server.sync;

import java.util.Objects;

/** A commit waiting in the {@link CommitBatcher}, with the one way to answer it. Immutable. */
public record PendingCommit(CommitCall call, CommitCompletion completion) {

    public PendingCommit {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(completion, "completion");
    }
}
