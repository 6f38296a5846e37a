package org.syncservice.server.workspace;

import java.util.List;

/** A workspace as the caller sees it, with its members (owner first). Immutable. */
public record SharedWorkspace(WorkspaceView workspace, List<Member> members) {
    public SharedWorkspace {
        members = List.copyOf(members);
    }
}
