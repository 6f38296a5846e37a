package org.syncservice.server.sync;

/**
 * The one way to answer a commit handed to the {@link CommitBatcher}: exactly one of the two is
 * called, once, on whichever thread served the commit's group. Implementations must not throw.
 */
public interface CommitCompletion {

    /** The commit was served (applied, rejected item by item, or answered from the stored answer). */
    void committed(CommitResult result);

    /**
     * The commit gets this failure instead: a {@link org.syncservice.server.core.ServiceException},
     * or an unexpected error.
     */
    void failed(RuntimeException failure);
}
