package org.syncservice.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.syncservice.desktop.SyncWorld.Device;

/**
 * A device that keeps one folder of the workspace ({@code --only Work}) beside one that keeps it
 * all: what is inside arrives, what is outside does not, what leaves the folder goes (unless
 * edited here), what comes in arrives with its subtree, and local files outside the folder are
 * neither uploaded nor deleted.
 */
@ExtendWith(SharedSyncWorld.class)
class OnlyFolderEndToEndTest {
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    static SyncWorld world;

    @BeforeAll
    static void shareTheService(SyncWorld shared) {
        world = shared;
    }

    @Test
    void aScopedDeviceKeepsItsFolderAndLeavesTheRestAlone() throws Exception {
        String user = world.newUser();
        Device home = world.device(user, "home").start();
        SyncWorld.write(home.path("Work/plan.txt"), "the plan");
        SyncWorld.write(home.path("Work/sub/notes.txt"), "notes");
        SyncWorld.write(home.path("Work/old.txt"), "old");
        SyncWorld.write(home.path("Other/private.txt"), "private");
        SyncWorld.write(home.path("Incoming/deep/report.txt"), "report");
        SyncWorld.write(home.path("top.txt"), "top");
        Files.createDirectories(home.path("Archive"));
        world.awaitConverged(CONVERGE, List.of(home));

        Device laptop = world.device(user, "laptop");
        SyncWorld.write(laptop.path("Other/local.txt"), "only on the laptop");
        SyncWorld.write(laptop.path("mine.txt"), "mine");
        laptop.startOnly("Work");
        awaitScopedConverged(home, laptop);
        assertThat(Files.readString(laptop.path("Work/sub/notes.txt"))).isEqualTo("notes");
        assertThat(laptop.path("Other/private.txt")).doesNotExist();
        assertThat(laptop.path("Incoming")).doesNotExist();
        assertThat(laptop.path("top.txt")).doesNotExist();

        // Written inside the folder on the scoped device: it goes up.
        SyncWorld.write(laptop.path("Work/from-laptop.txt"), "from the laptop");
        awaitScopedConverged(home, laptop);
        assertThat(world.serverTree(home)).containsKey("Work/from-laptop.txt");

        // Moved out there: gone from the scoped device's folder.
        Files.move(home.path("Work/old.txt"), home.path("Archive/old.txt"));
        world.awaitConverged(CONVERGE, List.of(home));
        awaitScopedConverged(home, laptop);
        assertThat(laptop.path("Work/old.txt")).doesNotExist();
        assertThat(laptop.path("Archive")).doesNotExist();

        // Edited here while its folder is moved out there: the edit is kept.
        laptop.stop();
        Files.writeString(laptop.path("Work/sub/notes.txt"), "notes, edited on the laptop", StandardCharsets.UTF_8);
        Files.move(home.path("Work/sub"), home.path("Archive/sub"));
        world.awaitConverged(CONVERGE, List.of(home));
        laptop.startOnly("Work");
        awaitScopedConverged(home, laptop);
        assertThat(Files.readString(laptop.path("Work/sub/notes.txt")))
                .isEqualTo("notes, edited on the laptop");

        // A folder moved in: it arrives with everything under it.
        Files.move(home.path("Incoming"), home.path("Work/Incoming"));
        world.awaitConverged(CONVERGE, List.of(home));
        awaitScopedConverged(home, laptop);
        assertThat(Files.readString(laptop.path("Work/Incoming/deep/report.txt"))).isEqualTo("report");

        // Outside the folder nothing of the laptop's went up, and nothing of it was deleted.
        Map<String, String> server = world.serverTree(home);
        assertThat(server).doesNotContainKeys("mine.txt", "Other/local.txt");
        assertThat(Files.readString(laptop.path("Other/local.txt"))).isEqualTo("only on the laptop");
        assertThat(Files.readString(laptop.path("mine.txt"))).isEqualTo("mine");
        assertThat(home.path("mine.txt")).doesNotExist();
        laptop.stop();
        home.stop();
    }

    @Test
    void aFolderTheWorkspaceLacksIsRefusedByName() throws Exception {
        String user = world.newUser();
        Device phone = world.device(user, "phone");
        assertThatThrownBy(() -> phone.startOnly("Nowhere/at all"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'Nowhere/at all'");
        assertThat(phone.running()).isFalse();
    }

    /**
     * Waits until the scoped device's Work folder is the service's, the device is idle, and both
     * stayed so for two looks in a row.
     */
    private static void awaitScopedConverged(Device whole, Device scoped) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        Map<String, String> lastServer = Map.of();
        Map<String, String> lastLocal = Map.of();
        int stable = 0;
        while (System.nanoTime() < deadline) {
            Map<String, String> server = under("Work", world.serverTree(whole));
            Map<String, String> local = under("Work", SyncWorld.folderTree(scoped.folder));
            boolean equal = server.equals(local) && scoped.client().isIdle();
            if (equal && server.equals(lastServer)) {
                if (++stable >= 2) {
                    return;
                }
            } else {
                stable = 0;
            }
            lastServer = server;
            lastLocal = local;
            Thread.sleep(200);
        }
        throw new AssertionError("the scoped device's Work never matched the service's: service " + lastServer
                + ", device " + lastLocal);
    }

    private static Map<String, String> under(String folder, Map<String, String> tree) {
        Map<String, String> kept = new TreeMap<>();
        tree.forEach((path, checksum) -> {
            if (path.equals(folder) || path.startsWith(folder + "/")) {
                kept.put(path, checksum);
            }
        });
        return kept;
    }
}
