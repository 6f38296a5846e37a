package org.syncservice.desktop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.state.SyncedItem;

/** Which local entries the engine of a device that keeps some folders may act on. */
class FolderSelectionTest {
    private static final long PHOTOS = 7;
    private static final long YEAR = 8;

    private static Map<String, LocalEntry> local(String... paths) {
        Map<String, LocalEntry> tree = new HashMap<>();
        for (String path : paths) {
            boolean folder = !path.contains(".");
            tree.put(path, new LocalEntry(path, folder, "key-" + path, folder ? 0 : 1, 1));
        }
        return tree;
    }

    private static SyncedItem folder(long id, long parentId, String name) {
        return new SyncedItem(id, parentId, name, true, 1, "", 0, 0, List.of(), "key-" + name, 0, 0);
    }

    @Test
    void insideASelectedFolderAndTheFoldersAboveItAreKeptTheRestIsLeftOut() {
        FolderSelection selection = FolderSelection.of(Map.of(YEAR, "Photos/2024"));
        Map<String, LocalEntry> kept = selection.keep(local("Photos", "Photos/2024", "Photos/2024/a.jpg",
                "Photos/2024/trip", "Photos/2024/trip/b.jpg", "Photos/2023", "Photos/2023/c.jpg", "Photos/cover.jpg",
                "Photos/20245", "top.txt", "Other", "Other/d.txt"), Map.of());
        assertThat(kept).containsOnlyKeys("Photos", "Photos/2024", "Photos/2024/a.jpg", "Photos/2024/trip",
                "Photos/2024/trip/b.jpg");
    }

    @Test
    void aSelectedFolderRenamedThereIsFollowedToItsAgreedPlace() {
        FolderSelection selection = FolderSelection.of(Map.of(YEAR, "Photos/2024"));
        Map<Long, SyncedItem> synced = Map.of(PHOTOS, folder(PHOTOS, 0, "Pictures"), YEAR, folder(YEAR, PHOTOS, "y24"));
        Map<String, LocalEntry> kept = selection.keep(local("Pictures", "Pictures/y24", "Pictures/y24/a.jpg",
                "Pictures/other.jpg"), synced);
        assertThat(kept).containsOnlyKeys("Pictures", "Pictures/y24", "Pictures/y24/a.jpg");
    }

    @Test
    void aSelectedFolderRenamedHereIsFoundByItsFileKeySoItIsNotTakenForDeleted() {
        FolderSelection selection = FolderSelection.of(Map.of(YEAR, "Photos/2024"));
        Map<Long, SyncedItem> synced = Map.of(PHOTOS, folder(PHOTOS, 0, "Photos"), YEAR, folder(YEAR, PHOTOS, "2024"));
        Map<String, LocalEntry> here = new HashMap<>(local("Photos", "Photos/y24/a.jpg", "Photos/other.jpg"));
        here.put("Photos/y24", new LocalEntry("Photos/y24", true, "key-2024", 0, 1));
        assertThat(selection.keep(here, synced)).containsOnlyKeys("Photos", "Photos/y24", "Photos/y24/a.jpg");
    }

    @Test
    void theWholeWorkspaceKeepsEverything() {
        Map<String, LocalEntry> all = local("a.txt", "B", "B/c.txt");
        assertThat(FolderSelection.WHOLE.keep(all, Map.of())).isEqualTo(all);
        assertThat(FolderSelection.WHOLE.ids()).isEmpty();
        assertThat(FolderSelection.of(Map.of(9L, "X", 3L, "Y")).ids()).containsExactly(3L, 9L);
        assertThat(FolderSelection.of(Map.of(9L, "X", 3L, "Y")).fingerprint()).isEqualTo("3,9");
    }
}
