package org.syncservice.server.sync;

import java.util.List;
import java.util.UUID;
import org.syncservice.server.core.Principal;

/**
 * One commit request, for {@link CommitService#commitAll}. Immutable.
 *
 * @param requestHash identifies the request's content: the same request id with another body is refused
 * @param releaseLocks release the caller's locks on the files the commit stores (release_locks)
 */
public record CommitCall(Principal caller, UUID workspaceId, String requestId, byte[] requestHash,
                         List<ItemChange> changes, boolean releaseLocks) {

    public CommitCall {
        changes = List.copyOf(changes);
    }

    /** A commit that releases no lock. */
    public CommitCall(Principal caller, UUID workspaceId, String requestId, byte[] requestHash,
                      List<ItemChange> changes) {
        this(caller, workspaceId, requestId, requestHash, changes, false);
    }

    WorkspaceBatch.RequestKey key() {
        return new WorkspaceBatch.RequestKey(caller.deviceId(), requestId);
    }
}
