package org.syncservice.desktop.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.client.SyncClient;
import org.syncservice.protocol.v1.MemberRole;
import org.syncservice.protocol.v1.Workspace;

/**
 * The user's role in the synced workspace, as the service last told it: read at start, then taken
 * from each PERMISSIONS_CHANGED event. A READER's local changes are not uploaded: they stay in the
 * folder, and the status says why, until the role allows writing again. The service refuses a
 * reader's commits anyway; this keeps the client from sending them over and over. Thread-safe.
 */
final class WorkspaceRole {
    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceRole.class);

    private final String workspaceId;
    private volatile MemberRole role;

    private WorkspaceRole(String workspaceId, MemberRole role) {
        this.workspaceId = workspaceId;
        this.role = role;
    }

    /** The role as list_workspaces tells it now; a workspace not listed is left to the sync loop to find gone. */
    static WorkspaceRole read(SyncClient client, String workspaceId) {
        MemberRole role = Retries.call(client::listWorkspaces).getWorkspacesList().stream()
                .filter(w -> w.getWorkspaceId().equals(workspaceId)).map(Workspace::getRole).findFirst()
                .orElse(MemberRole.MEMBER_ROLE_MEMBER);
        return new WorkspaceRole(workspaceId, role);
    }

    /** Takes the role from the workspace as an event shows it; other workspaces are ignored. */
    void changed(Workspace view) {
        if (view.getWorkspaceId().equals(workspaceId) && view.getRole() != role) {
            LOG.info("the role in workspace {} is now {}", workspaceId, view.getRole());
            role = view.getRole();
        }
    }

    /** Whether local changes are uploaded: for every role but READER. */
    boolean uploads() {
        return role != MemberRole.MEMBER_ROLE_READER;
    }

    /** Why local changes are held back, for the status and the log. */
    String heldBack(int changes) {
        return "you are a READER of this workspace: " + changes
                + " local change(s) stay on this computer and are not uploaded";
    }
}
