package org.syncservice.desktop.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.syncservice.client.SyncClient;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.state.SyncedItem;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;

/**
 * The folders of the workspace a device keeps ({@code --only}), or the whole workspace. A
 * selected folder is known by its item id, so it stays selected when renamed or moved; its local
 * place is where the synced tree has it now, or where it was when the client started.
 *
 * <p>What is outside the selection locally is none of the client's business: it is neither
 * uploaded nor deleted, so the engine sees only the local entries inside a selected folder and
 * the folders above one (the service lists those too). Immutable.
 */
public final class FolderSelection {
    /** Every folder: the whole workspace. */
    public static final FolderSelection WHOLE = new FolderSelection(Map.of());

    /** The selected folders' ids and the relative paths they were found at, in the order given. */
    private final Map<Long, String> startPaths;

    private FolderSelection(Map<Long, String> startPaths) {
        this.startPaths = Map.copyOf(startPaths);
    }

    /** A selection of the given folder ids, found at the given paths. */
    static FolderSelection of(Map<Long, String> startPaths) {
        return startPaths.isEmpty() ? WHOLE : new FolderSelection(startPaths);
    }

    /**
     * Finds the folders at {@code paths} (relative to the sync root, {@code /}-separated) in a
     * listing of the whole workspace.
     *
     * @throws IllegalStateException naming a path that is no folder of the workspace: the client
     *     does not create it, since a mistyped name would otherwise become an empty folder on every
     *     device
     */
    static FolderSelection resolve(SyncClient client, String workspaceId, List<String> paths) {
        if (paths.isEmpty()) {
            return WHOLE;
        }
        Map<String, Long> folders = liveFolderPaths(client, workspaceId);
        Map<Long, String> found = new LinkedHashMap<>();
        for (String path : paths) {
            Long id = folders.get(path);
            if (id == null) {
                throw new IllegalStateException("--only " + path + ": the workspace has no folder '" + path
                        + "'; create it on a device that syncs the whole workspace first");
            }
            found.put(id, path);
        }
        return of(found);
    }

    /** Every live folder of the workspace by its path, from one listing from scratch. */
    private static Map<String, Long> liveFolderPaths(SyncClient client, String workspaceId) {
        Map<Long, Item> live = new HashMap<>();
        String cursor = "";
        while (true) {
            GetChangesResponse page = client.getChanges(GetChangesRequest.newBuilder()
                    .setWorkspaceId(workspaceId).setCursor(cursor).build());
            for (Item item : page.getItemsList()) {
                if (item.getIsFolder() && item.getStatus() != ItemStatus.ITEM_STATUS_DELETED) {
                    live.put(item.getItemId(), item);
                } else {
                    live.remove(item.getItemId());
                }
            }
            cursor = page.getNextCursor();
            if (!page.getHasMore()) {
                break;
            }
        }
        Map<String, Long> byPath = new HashMap<>();
        for (Item folder : live.values()) {
            String path = pathOf(folder.getItemId(), live, Item::getParentId, Item::getName);
            if (path != null) {
                byPath.put(path, folder.getItemId());
            }
        }
        return byPath;
    }

    /** The item's path through {@code tree}, or null when a folder above it is not there. */
    private static <T> String pathOf(long itemId, Map<Long, T> tree, ToLongFunction<T> parent,
                                     Function<T, String> name) {
        List<String> names = new ArrayList<>();
        long at = itemId;
        while (at != 0) {
            T node = tree.get(at);
            if (node == null || names.size() > tree.size()) {
                return null;
            }
            names.add(name.apply(node));
            at = parent.applyAsLong(node);
        }
        Collections.reverse(names);
        return String.join("/", names);
    }

    /** Whether this is the whole workspace. */
    public boolean whole() {
        return startPaths.isEmpty();
    }

    /** The selected folders' ids, ascending: what get_changes takes as subtree_ids. */
    public List<Long> ids() {
        return List.copyOf(new TreeSet<>(startPaths.keySet()));
    }

    /** Whether {@code folderId} is a selected folder. */
    boolean selects(long folderId) {
        return startPaths.containsKey(folderId);
    }

    /**
     * Names the selection for the state database: a stored position belongs to the selection it
     * was listed with ({@code ""}: the whole workspace).
     */
    String fingerprint() {
        return ids().stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * The local entries the engine may act on: the whole tree for the whole workspace, else those
     * inside a selected folder (at its agreed place, its place at start, or where the folder with
     * its file key is now) and the folders above one.
     */
    Map<String, LocalEntry> keep(Map<String, LocalEntry> local, Map<Long, SyncedItem> synced) {
        if (whole()) {
            return local;
        }
        Set<String> roots = new TreeSet<>(startPaths.values());
        Map<String, String> localFolders = new HashMap<>();
        for (LocalEntry e : local.values()) {
            if (e.folder() && e.fileKey() != null) {
                localFolders.put(e.fileKey(), e.path());
            }
        }
        for (long id : startPaths.keySet()) {
            SyncedItem agreed = synced.get(id);
            if (agreed == null) {
                continue;
            }
            String now = pathOf(id, synced, SyncedItem::parentId, SyncedItem::name);
            if (now != null) {
                roots.add(now);
            }
            // Renamed or moved here: the planner must see it there, or it would take it for deleted.
            if (agreed.fileKey() != null && localFolders.containsKey(agreed.fileKey())) {
                roots.add(localFolders.get(agreed.fileKey()));
            }
        }
        Map<String, LocalEntry> kept = new HashMap<>();
        for (Map.Entry<String, LocalEntry> e : local.entrySet()) {
            if (inScope(e.getKey(), e.getValue().folder(), roots)) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        return kept;
    }

    private static boolean inScope(String path, boolean folder, Set<String> roots) {
        for (String root : roots) {
            if (path.equals(root) || path.startsWith(root + '/') || (folder && root.startsWith(path + '/'))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return whole() ? "the whole workspace" : "the folders " + String.join(", ", new TreeSet<>(startPaths.values()));
    }
}
