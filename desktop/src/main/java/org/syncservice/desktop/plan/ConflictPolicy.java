package org.syncservice.desktop.plan;

import java.util.function.Predicate;
import org.syncservice.desktop.content.FileContent;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.state.RemoteItem;

/**
 * Decides what happens when this device and another edited the same file: the planner never lets
 * either edit disappear; the policy chooses which one keeps the name.
 */
public interface ConflictPolicy {

    /**
     * Whether the local edit is committed over the remote version (which stays in the item's
     * version history); otherwise the local file is kept as a conflicted copy and the remote version
     * takes the name.
     */
    boolean localKeepsName(String path, LocalEntry local, FileContent localContent, RemoteItem remote);

    /**
     * The path of the conflicted copy of the local file at {@code path}.
     *
     * @param taken whether a path is taken already (locally or in the remote tree)
     */
    String copyPath(String path, Predicate<String> taken);
}
