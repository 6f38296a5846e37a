package org.syncservice.server.sync;

import java.util.UUID;
import org.syncservice.server.core.ServiceException;

/** The one answer for a workspace that does not exist or that the caller may not see. */
final class Workspaces {

    private Workspaces() {
    }

    static ServiceException notFound(UUID workspaceId) {
        return ServiceException.notFound("workspace " + workspaceId + " not found");
    }
}
