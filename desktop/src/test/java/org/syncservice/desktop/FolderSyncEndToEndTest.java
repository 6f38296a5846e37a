package org.syncservice.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.desktop.SyncWorld.Device;

/** Devices keeping folders in sync through the embedded service, end to end. */
@ExtendWith(SharedSyncWorld.class)
class FolderSyncEndToEndTest {
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @TempDir
    static Path directory;
    static SyncWorld world;

    @BeforeAll
    static void shareTheService(SyncWorld shared) {
        world = shared;
    }

    @Test
    void createEditRenameMoveAndDeleteOfFilesAndFoldersReachEveryDevice() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device desktop = world.device(user, "desktop").start();
        Device phone = world.device(user, "phone").start();
        List<Device> all = List.of(laptop, desktop, phone);

        SyncWorld.write(laptop.path("docs/notes.txt"), "first");
        SyncWorld.write(laptop.path("docs/deep/er/file.bin"), "deep");
        SyncWorld.write(laptop.path("top.txt"), "top");
        Map<String, String> tree = world.awaitConverged(CONVERGE, all);
        assertThat(tree).containsKeys("docs", "docs/notes.txt", "docs/deep/er/file.bin", "top.txt");

        SyncWorld.write(desktop.path("docs/notes.txt"), "second, longer");
        Files.move(phone.path("top.txt"), phone.path("renamed.txt"));
        tree = world.awaitConverged(CONVERGE, all);
        assertThat(tree.get("docs/notes.txt")).isEqualTo(SyncWorld.checksum("second, longer".getBytes(StandardCharsets.UTF_8)));
        assertThat(tree).containsKey("renamed.txt").doesNotContainKey("top.txt");

        Files.move(laptop.path("docs"), laptop.path("papers"));
        Files.move(desktop.path("renamed.txt"), desktop.path("papers-later.txt"));
        tree = world.awaitConverged(CONVERGE, all);
        assertThat(tree).containsKeys("papers", "papers/notes.txt", "papers/deep/er/file.bin", "papers-later.txt")
                .doesNotContainKeys("docs", "renamed.txt");

        Files.delete(phone.path("papers/deep/er/file.bin"));
        Files.delete(phone.path("papers/deep/er"));
        Files.delete(laptop.path("papers-later.txt"));
        tree = world.awaitConverged(CONVERGE, all);
        assertThat(tree).containsOnlyKeys("papers", "papers/notes.txt", "papers/deep");
        all.forEach(Device::stop);
    }

    @Test
    void aRenameOfAFolderIsCommittedAsOneMoveNotAsDeletesAndUploads() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device phone = world.device(user, "phone").start();
        for (int i = 0; i < 30; i++) {
            SyncWorld.write(laptop.path("album/p" + i + ".jpg"), "photo " + i);
        }
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        long before = world.storedVersionCount(laptop.workspaceId);

        Files.move(laptop.path("album"), laptop.path("holiday"));
        world.awaitConverged(CONVERGE, List.of(laptop, phone));

        assertThat(world.storedVersionCount(laptop.workspaceId) - before).isEqualTo(1);
        laptop.stop();
        phone.stop();
    }

    @Test
    void editsMadeOfflineOnTwoDevicesMeetWhenTheyReconnect() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device phone = world.device(user, "phone").start();
        SyncWorld.write(laptop.path("a.txt"), "a");
        SyncWorld.write(laptop.path("b.txt"), "b");
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        laptop.stop();
        phone.stop();

        SyncWorld.write(laptop.path("a.txt"), "a from laptop");
        SyncWorld.write(laptop.path("new-on-laptop.txt"), "n1");
        SyncWorld.write(phone.path("b.txt"), "b from phone");
        SyncWorld.write(phone.path("sub/new-on-phone.txt"), "n2");
        laptop.start();
        phone.start();

        Map<String, String> tree = world.awaitConverged(CONVERGE, List.of(laptop, phone));
        assertThat(tree).containsOnlyKeys("a.txt", "b.txt", "new-on-laptop.txt", "sub", "sub/new-on-phone.txt");
        assertThat(tree.get("a.txt")).isEqualTo(SyncWorld.checksum("a from laptop".getBytes(StandardCharsets.UTF_8)));
        assertThat(tree.get("b.txt")).isEqualTo(SyncWorld.checksum("b from phone".getBytes(StandardCharsets.UTF_8)));
        laptop.stop();
        phone.stop();
    }

    @Test
    void conflictingEditsKeepBothVersionsOnEveryDevice() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device phone = world.device(user, "phone").start();
        SyncWorld.write(laptop.path("report.txt"), "original");
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        laptop.stop();
        phone.stop();

        SyncWorld.write(laptop.path("report.txt"), "laptop's edit");
        SyncWorld.write(phone.path("report.txt"), "phone's edit");
        laptop.start();
        world.awaitConverged(CONVERGE, List.of(laptop));
        phone.start();

        Map<String, String> tree = world.awaitConverged(CONVERGE, List.of(laptop, phone));
        assertThat(tree).hasSize(2);
        assertThat(tree.values()).containsExactlyInAnyOrder(
                SyncWorld.checksum("laptop's edit".getBytes(StandardCharsets.UTF_8)),
                SyncWorld.checksum("phone's edit".getBytes(StandardCharsets.UTF_8)));
        assertThat(tree.get("report.txt")).isEqualTo(SyncWorld.checksum("laptop's edit".getBytes(StandardCharsets.UTF_8)));
        assertThat(tree.keySet()).anySatisfy(name -> assertThat(name)
                .startsWith("report (conflicted copy from phone ").endsWith(").txt"));
        laptop.stop();
        phone.stop();
    }

    @Test
    void aRenameHereOntoTheNameAnotherDeviceJustRenamedAFileToKeepsBothFiles() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device phone = world.device(user, "phone").start();
        SyncWorld.write(laptop.path("a.txt"), "a");
        SyncWorld.write(laptop.path("b.txt"), "b");
        SyncWorld.write(laptop.path("c.txt"), "c");
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        Files.move(laptop.path("c.txt"), laptop.path("d.txt"));
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        laptop.stop();

        // The phone takes the name c.txt first; the laptop, offline, gives it to another file.
        Files.move(phone.path("b.txt"), phone.path("c.txt"));
        world.awaitConverged(CONVERGE, List.of(phone));
        Files.move(laptop.path("a.txt"), laptop.path("c.txt"));
        laptop.start();

        Map<String, String> tree = world.awaitConverged(CONVERGE, List.of(laptop, phone));
        assertThat(tree).hasSize(3).containsEntry("c.txt", SyncWorld.checksum("b")).containsEntry("d.txt", SyncWorld.checksum("c"));
        assertThat(tree).anySatisfy((name, checksum) -> {
            assertThat(name).startsWith("c (conflicted copy from laptop ");
            assertThat(checksum).isEqualTo(SyncWorld.checksum("a"));
        });
        laptop.stop();
        phone.stop();
    }

    @Test
    void aRenameOfflineOntoANameTheServiceGaveANewFileWhileTheRenamedFileWasEditedThereKeepsEveryContent()
            throws Exception {
        // Seed 607380's situation: the laptop renames c.txt onto f.txt offline; meanwhile the phone
        // edits c.txt and puts a new file at f.txt. f.txt is the phone's; c.txt's file goes aside.
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device phone = world.device(user, "phone").start();
        SyncWorld.write(laptop.path("c.txt"), "c");
        SyncWorld.write(laptop.path("f.txt"), "f");
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        laptop.stop();

        Files.delete(phone.path("f.txt"));
        world.awaitConverged(CONVERGE, List.of(phone));
        SyncWorld.write(phone.path("f.txt"), "a new f, from the phone");
        SyncWorld.write(phone.path("c.txt"), "c, edited on the phone");
        world.awaitConverged(CONVERGE, List.of(phone));
        Files.move(laptop.path("c.txt"), laptop.path("f.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        laptop.start();

        Map<String, String> tree = world.awaitConverged(CONVERGE, List.of(laptop, phone));
        assertThat(tree).containsEntry("f.txt", SyncWorld.checksum("a new f, from the phone"));
        assertThat(tree.values()).contains(SyncWorld.checksum("c, edited on the phone"));
        assertThat(tree).allSatisfy((name, checksum) -> assertThat(checksum)
                .as(name).isNotEqualTo(SyncWorld.checksum("f")));
        laptop.stop();
        phone.stop();
    }

    @Test
    void movesIntoNewFoldersCommitWithThemAndFreeTheirNamesAndFoldersInTheSameRequest() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device phone = world.device(user, "phone").start();
        SyncWorld.write(laptop.path("a.txt"), "a");
        SyncWorld.write(laptop.path("b.txt"), "b");
        SyncWorld.write(laptop.path("d/x.txt"), "x");
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        laptop.stop();
        long before = world.storedVersionCount(laptop.workspaceId);

        // a.txt into the new folder n and b.txt onto its name; d/x.txt into the new folder m, d deleted.
        Files.createDirectory(laptop.path("n"));
        Files.move(laptop.path("a.txt"), laptop.path("n/a.txt"));
        Files.move(laptop.path("b.txt"), laptop.path("a.txt"));
        Files.createDirectory(laptop.path("m"));
        Files.move(laptop.path("d/x.txt"), laptop.path("m/x.txt"));
        Files.delete(laptop.path("d"));
        laptop.start();

        Map<String, String> tree = world.awaitConverged(CONVERGE, List.of(laptop, phone));
        assertThat(tree).containsOnly(Map.entry("n", ""), Map.entry("n/a.txt", SyncWorld.checksum("a")),
                Map.entry("a.txt", SyncWorld.checksum("b")), Map.entry("m", ""), Map.entry("m/x.txt", SyncWorld.checksum("x")));
        // Two new folders, three moves and one delete: x.txt moved, not deleted with d and uploaded again.
        assertThat(world.storedVersionCount(laptop.workspaceId) - before).isEqualTo(6);
        laptop.stop();
        phone.stop();
    }

    @Test
    void twoNamesSwappedOfflineAreSwappedOnEveryDevice() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device phone = world.device(user, "phone").start();
        SyncWorld.write(laptop.path("a.txt"), "a");
        SyncWorld.write(laptop.path("c.txt"), "c");
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        laptop.stop();
        phone.stop();

        // Both names change in one step for the laptop's engine, and for the phone's.
        Files.move(laptop.path("c.txt"), laptop.path("d.txt"));
        Files.move(laptop.path("a.txt"), laptop.path("c.txt"));
        Files.move(laptop.path("d.txt"), laptop.path("a.txt"));
        laptop.start();
        world.awaitConverged(CONVERGE, List.of(laptop));
        phone.start();

        Map<String, String> tree = world.awaitConverged(CONVERGE, List.of(laptop, phone));
        assertThat(tree).containsOnly(Map.entry("a.txt", SyncWorld.checksum("c")), Map.entry("c.txt", SyncWorld.checksum("a")));
        laptop.stop();
        phone.stop();
    }

    @Test
    void twoFoldersMovedIntoEachOtherOnTwoDevicesEndAsTheServiceTookTheFirst() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device phone = world.device(user, "phone").start();
        SyncWorld.write(laptop.path("a/in-a.txt"), "in a");
        SyncWorld.write(laptop.path("b/in-b.txt"), "in b");
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        phone.stop();

        Files.move(laptop.path("a"), laptop.path("b/a"));
        world.awaitConverged(CONVERGE, List.of(laptop));
        Files.move(phone.path("b"), phone.path("a/b"));
        phone.start();

        Map<String, String> tree = world.awaitConverged(CONVERGE, List.of(laptop, phone));
        assertThat(tree).containsOnlyKeys("b", "b/in-b.txt", "b/a", "b/a/in-a.txt");
        laptop.stop();
        phone.stop();
    }

    @Test
    void anEditAgainstARemoteDeleteWinsAndTheFileComesBack() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device phone = world.device(user, "phone").start();
        SyncWorld.write(laptop.path("keep.txt"), "v1");
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        phone.stop();

        Files.delete(laptop.path("keep.txt"));
        world.awaitConverged(CONVERGE, List.of(laptop));
        SyncWorld.write(phone.path("keep.txt"), "v2 edited offline");
        phone.start();

        Map<String, String> tree = world.awaitConverged(CONVERGE, List.of(laptop, phone));
        assertThat(tree).containsEntry("keep.txt", SyncWorld.checksum("v2 edited offline".getBytes(StandardCharsets.UTF_8)));
        laptop.stop();
        phone.stop();
    }

    @Test
    void massDeletionIsHeldBackAndReportedInsteadOfDeletingOnTheServer() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start(0.5);
        Device phone = world.device(user, "phone").start();
        for (int i = 0; i < 40; i++) {
            SyncWorld.write(laptop.path("disk/f" + i + ".txt"), "file " + i);
        }
        world.awaitConverged(CONVERGE, List.of(laptop, phone));

        // As an unmounted disk looks: everything under it gone at once.
        Files.move(laptop.path("disk"), directory.resolve("unmounted-" + user));
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (!blocked(laptop)) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(100);
        }

        assertThat(world.serverTree(phone)).hasSize(41);
        assertThat(SyncWorld.folderTree(phone.folder)).hasSize(41);
        laptop.stop();
        phone.stop();
    }

    @Test
    void anEmptiedMountPointIsAMissingFolderNotAFolderWhoseFilesWereDeleted() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start(0.5);
        Device phone = world.device(user, "phone").start();
        SyncWorld.write(laptop.path("a.txt"), "a");
        SyncWorld.write(laptop.path("b/c.txt"), "c");
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (!Files.exists(laptop.path(".syncservice-folder"))) {
            assertThat(System.nanoTime()).as("the folder's marker is placed").isLessThan(deadline);
            Thread.sleep(50);
        }

        // An unmounted disk leaves its empty mount point: too few files for the mass-deletion guard.
        Path away = Files.createDirectories(directory.resolve("unmounted-" + user));
        try (var entries = Files.list(laptop.folder)) {
            for (Path p : entries.toList()) {
                Files.move(p, away.resolve(p.getFileName()));
            }
        }
        while (!org.syncservice.desktop.state.StatusReader.read(laptop.state).blockedReason().orElse("")
                .contains("marker")) {
            assertThat(System.nanoTime()).as("blocked for the lost marker").isLessThan(deadline);
            Thread.sleep(100);
        }

        assertThat(world.serverTree(phone)).containsOnlyKeys("a.txt", "b", "b/c.txt");
        assertThat(SyncWorld.folderTree(phone.folder)).containsOnlyKeys("a.txt", "b", "b/c.txt");
        laptop.stop();
        phone.stop();
    }

    @Test
    void aDeviceWhoseCursorExpiredListsTheWorkspaceAgainAndDropsWhatWasDeletedMeanwhile() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device phone = world.device(user, "phone").start();
        SyncWorld.write(laptop.path("gone.txt"), "deleted while the phone is away");
        SyncWorld.write(laptop.path("old-name.txt"), "renamed while the phone is away");
        SyncWorld.write(laptop.path("docs/kept.txt"), "kept");
        SyncWorld.write(laptop.path("docs/old/inner.txt"), "in a folder deleted while the phone is away");
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        phone.stop();

        Files.delete(laptop.path("gone.txt"));
        Files.move(laptop.path("old-name.txt"), laptop.path("docs/new-name.txt"));
        Files.delete(laptop.path("docs/old/inner.txt"));
        Files.delete(laptop.path("docs/old"));
        SyncWorld.write(laptop.path("docs/added.txt"), "added while the phone is away");
        world.awaitConverged(CONVERGE, List.of(laptop));
        laptop.stop();
        // History purged, not rewound: the service still has all the phone saw (a new epoch, a
        // restored backup, is BackupRestoreEndToEndTest's).
        world.purgeHistory(laptop.workspaceId);

        ch.qos.logback.classic.Logger feedLog = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger("org.syncservice.desktop.engine.RemoteFeed");
        var listings = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        listings.start();
        ch.qos.logback.classic.Level level = feedLog.getLevel();
        feedLog.setLevel(ch.qos.logback.classic.Level.INFO);
        feedLog.addAppender(listings);
        try {
            phone.start();
            Map<String, String> tree = world.awaitConverged(CONVERGE, List.of(phone));
            assertThat(tree).containsOnlyKeys("docs", "docs/kept.txt", "docs/new-name.txt", "docs/added.txt");
            assertThat(listings.list).as("the phone listed its workspace again because its cursor expired")
                    .anyMatch(event -> event.getFormattedMessage().contains(phone.workspaceId)
                            && event.getFormattedMessage().contains("CURSOR_EXPIRED"));
        } finally {
            feedLog.detachAppender(listings);
            feedLog.setLevel(level);
        }
        laptop.start();
        assertThat(world.awaitConverged(CONVERGE, List.of(laptop, phone)))
                .containsOnlyKeys("docs", "docs/kept.txt", "docs/new-name.txt", "docs/added.txt");
        laptop.stop();
        phone.stop();
    }

    private static boolean blocked(Device device) throws Exception {
        var status = org.syncservice.desktop.state.StatusReader.read(device.state);
        return status.state().equals("blocked") && status.blockedReason().orElse("").contains("40 of 40");
    }
}
