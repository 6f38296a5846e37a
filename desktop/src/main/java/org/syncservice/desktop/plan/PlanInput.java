package org.syncservice.desktop.plan;

import java.util.Map;
import java.util.Set;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.state.RemoteItem;
import org.syncservice.desktop.state.SyncedItem;

/**
 * The three trees a round is planned from, and what to leave alone. Immutable views.
 *
 * @param local the folder as scanned, by relative path
 * @param synced the agreed state, by item id
 * @param remote the service's state, by item id (tombstones included)
 * @param skippedPaths local paths not to commit (names the service refused, until the file changes)
 * @param skippedItems remote items not to create locally (names the file system refused)
 */
public record PlanInput(Map<String, LocalEntry> local, Map<Long, SyncedItem> synced, Map<Long, RemoteItem> remote,
                        Set<String> skippedPaths, Set<Long> skippedItems) {
}
