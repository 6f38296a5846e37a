package org.syncservice.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.syncservice.protocol.v1.CommitNotification;
import org.syncservice.protocol.v1.Item;

/**
 * Changes of one workspace handed to the application, in change sequence order: either one
 * commit announced by a notification, or a page of a catch-up with {@code get_changes} (after a
 * gap, a large commit, a reconnect, or at start). Immutable.
 *
 * @param workspaceId the workspace
 * @param items the changed items in their latest known version (tombstones included)
 * @param changeSeq the change sequence number the application has reached with these items
 * @param commit the notification, when the changes come from one (committing device, request id)
 * @param ownCommit whether this device made the commit (the application already applied it)
 */
public record WorkspaceChanges(String workspaceId, List<Item> items, long changeSeq,
                               Optional<CommitNotification> commit, boolean ownCommit) {

    public WorkspaceChanges {
        Objects.requireNonNull(workspaceId, "workspaceId");
        items = List.copyOf(items);
        Objects.requireNonNull(commit, "commit");
    }

    /** Whether these changes come from a {@code get_changes} catch-up rather than a notification. */
    public boolean fromCatchUp() {
        return commit.isEmpty();
    }
}
