package org.syncservice.server.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.core.Principal;
import org.syncservice.server.sync.ItemChange;
import org.syncservice.server.sync.ItemStatus;
import org.syncservice.server.sync.ItemVersion;

/**
 * Random commits to one workspace for the randomized listing tests: new files and folders,
 * content changes, renames, moves up and down the tree, subtree deletes, restores, each chosen
 * from the workspace as it is, so most are accepted. Thread-safe: writers of one workspace share one.
 */
public final class RandomTreeEdits {
    private final ServiceComponents components;
    private final DataSource dataSource;
    private final Principal owner;
    private final UUID workspace;
    private final AtomicLong requests = new AtomicLong();

    public RandomTreeEdits(ServiceComponents components, DataSource dataSource, Principal owner, UUID workspace) {
        this.components = components;
        this.dataSource = dataSource;
        this.owner = owner;
        this.workspace = workspace;
    }

    /** P/Q/M/{f1,f2}, O/{g, R/h}, so moves have depth to work with. */
    public void seedTree(Random random) {
        commit(List.of(folder("p", "", "P"), folder("q", "p", "Q"), folder("m", "q", "M"),
                file("f1", "m", "f1"), file("f2", "m", "f2"), folder("o", "", "O"), file("g", "o", "g"),
                folder("r", "o", "R"), file("h", "r", "h" + random.nextInt(9))));
    }

    /**
     * {@code operations} random commits: a move has {@code moveWeight} chances in
     * {@code 7 + moveWeight}, each other kind (new file, new folder, change, rename, delete,
     * restore twice) one.
     */
    public void write(Random random, int operations, int moveWeight) {
        for (int i = 0; i < operations; i++) {
            List<ItemVersion> items = itemsInDatabase();
            List<ItemVersion> live = items.stream().filter(item -> !item.deleted()).toList();
            List<ItemVersion> folders = live.stream().filter(ItemVersion::folder).toList();
            long someFolder = folders.isEmpty() || random.nextInt(4) == 0 ? 0
                    : folders.get(random.nextInt(folders.size())).itemId();
            ItemVersion target = live.isEmpty() ? null : live.get(random.nextInt(live.size()));
            int choice = random.nextInt(7 + moveWeight);
            if (target == null || choice == 0) {
                commit(List.of(in(someFolder, file("n", "", "n" + random.nextInt(1000)))));
            } else if (choice == 1) {
                commit(List.of(in(someFolder, folder("n", "", "d" + random.nextInt(1000)))));
            } else if (choice == 2 && !target.folder()) {
                commit(List.of(change(target, target.parentId(), target.name(), ItemStatus.CHANGED)));
            } else if (choice == 3) {
                commit(List.of(change(target, target.parentId(), target.name() + "x", ItemStatus.RENAMED)));
            } else if (choice == 4) {
                commit(List.of(change(target, target.parentId(), target.name(), ItemStatus.DELETED)));
            } else if (choice <= 6) {
                restoreSomething(random, items);
            } else {
                commit(List.of(change(target, someFolder, target.name(), ItemStatus.MOVED)));
            }
        }
    }

    /** Brings back a deleted item, or puts an older version of a live one back. */
    private void restoreSomething(Random random, List<ItemVersion> items) {
        List<ItemVersion> candidates = items.stream().filter(item -> item.version() > 1).toList();
        if (candidates.isEmpty()) {
            return;
        }
        ItemVersion item = candidates.get(random.nextInt(candidates.size()));
        long version = 1 + random.nextInt((int) item.version() - 1);
        try {
            components.commits().restore(owner, workspace, "w" + requests.incrementAndGet(), new byte[] {1},
                    item.itemId(), version, item.version());
        } catch (RuntimeException refused) {
            // Its old folder is gone, its name is taken, the version is no more the latest: no matter.
        }
    }

    private void commit(List<ItemChange> changes) {
        components.commits().commit(owner, workspace, "w" + requests.incrementAndGet(), new byte[] {1}, changes);
    }

    /** Every item's latest state, tombstones too, straight from the table. */
    public List<ItemVersion> itemsInDatabase() {
        List<ItemVersion> items = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT item_id, COALESCE(parent_id, 0), name,"
                     + " is_folder, latest_version, deleted FROM items WHERE workspace_id = ?")) {
            select.setObject(1, workspace);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    items.add(new ItemVersion(rows.getLong(1), workspace, rows.getLong(2), rows.getString(3),
                            rows.getBoolean(4), rows.getLong(5),
                            rows.getBoolean(6) ? ItemStatus.DELETED : ItemStatus.CHANGED, "", "", 0, 0,
                            List.of(), 0, null, 0));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return items;
    }

    private static ItemChange folder(String tempId, String parentTempId, String name) {
        return new ItemChange(0, tempId, 0, parentTempId, 1, ItemStatus.NEW, name, "", true, "", 0, 0, List.of());
    }

    private static ItemChange file(String tempId, String parentTempId, String name) {
        return new ItemChange(0, tempId, 0, parentTempId, 1, ItemStatus.NEW, name, "text/plain", false, "", 1, 0,
                List.of());
    }

    /** A new item of the root placed in {@code parentId} instead. */
    private static ItemChange in(long parentId, ItemChange change) {
        return new ItemChange(0, change.tempId(), parentId, "", 1, ItemStatus.NEW, change.name(), change.mimeType(),
                change.folder(), "", change.size(), 0, List.of());
    }

    private static ItemChange change(ItemVersion item, long parentId, String name, ItemStatus status) {
        return new ItemChange(item.itemId(), "", parentId, "", item.version() + 1, status, name, item.mimeType(),
                item.folder(), "", item.folder() ? 0 : item.size() + 1, 0, List.of());
    }
}
