package org.syncservice.server.sync;

import java.util.Objects;

/**
 * What one call of {@link CommitService#commitAll} is answered: its result, or the failure it
 * gets instead (a {@link org.syncservice.server.core.ServiceException}, or an unexpected error).
 * Exactly one of the two is set. Immutable.
 */
public record CommitAnswer(CommitResult result, RuntimeException failure) {

    public CommitAnswer {
        if ((result == null) == (failure == null)) {
            throw new IllegalArgumentException("an answer is a result or a failure");
        }
    }

    static CommitAnswer of(CommitResult result) {
        return new CommitAnswer(Objects.requireNonNull(result), null);
    }

    static CommitAnswer failed(RuntimeException failure) {
        return new CommitAnswer(null, Objects.requireNonNull(failure));
    }

    /** Hands this answer to the completion: its result, or its failure. */
    void complete(CommitCompletion completion) {
        if (failure != null) {
            completion.failed(failure);
        } else {
            completion.committed(result);
        }
    }

    /** The result; throws the failure instead when there is one. */
    public CommitResult resultOrThrow() {
        if (failure != null) {
            throw failure;
        }
        return result;
    }
}
