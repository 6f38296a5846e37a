package org.syncservice.server.sync;

import java.util.List;
import java.util.UUID;
import org.syncservice.server.core.Principal;

/**
 * One commit request, for {@link CommitService#commitAll}. Immutable.
 *
 * @param requestHash identifies the request's content: the same request id with another body is refused
 */
public record CommitCall(Principal caller, UUID workspaceId, String requestId, byte[] requestHash,
                         List<ItemChange> changes) {

    public CommitCall {
        changes = List.copyOf(changes);
    }

    WorkspaceBatch.RequestKey key() {
        return new WorkspaceBatch.RequestKey(caller.deviceId(), requestId);
    }
}
