package org.syncservice.desktop.cli;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.syncservice.protocol.v1.Workspace;

/**
 * Picks the workspace a folder mirrors from the user's list: the one named by {@code --workspace},
 * else the user's default workspace, which the service lists first among those the user owns and
 * shares with nobody (protocol 7.7). Stateless.
 */
final class WorkspaceChoice {

    private WorkspaceChoice() {
    }

    /**
     * @param workspaces the user's workspaces, as list_workspaces answered
     * @param userId the user
     * @param name the name asked for, if any
     * @throws UsageException when no workspace has that name, listing the names there are
     * @throws CliFailure when the user has no workspace at all
     */
    static Workspace choose(List<Workspace> workspaces, String userId, Optional<String> name) {
        if (workspaces.isEmpty()) {
            throw new CliFailure("the service lists no workspace for this account");
        }
        if (name.isPresent()) {
            return workspaces.stream().filter(w -> w.getName().equals(name.get())).findFirst()
                    .orElseThrow(() -> new UsageException("no workspace named '" + name.get() + "'; yours are: "
                            + workspaces.stream().map(w -> "'" + w.getName() + "'").collect(Collectors.joining(", "))));
        }
        return workspaces.stream().filter(w -> w.getOwnerUserId().equals(userId) && !w.getShared()).findFirst()
                .orElse(workspaces.get(0));
    }
}
