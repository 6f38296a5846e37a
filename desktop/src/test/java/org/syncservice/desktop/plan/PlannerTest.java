package org.syncservice.desktop.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.syncservice.desktop.content.FileContent;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.state.RemoteItem;
import org.syncservice.desktop.state.SyncedItem;

class PlannerTest {
    private static final ConflictPolicy KEEP_BOTH = new ConflictPolicy() {
        @Override
        public boolean localKeepsName(String path, LocalEntry local, FileContent content, RemoteItem remote) {
            return false;
        }

        @Override
        public String copyPath(String path, Predicate<String> taken) {
            String copy = path + " (conflicted copy)";
            return taken.test(copy) ? copy + " 2" : copy;
        }
    };

    private final Map<String, LocalEntry> local = new HashMap<>();
    private final Map<Long, SyncedItem> synced = new HashMap<>();
    private final Map<Long, RemoteItem> remote = new HashMap<>();
    private final Map<String, FileContent> contents = new HashMap<>();
    private final Planner planner = new Planner(KEEP_BOTH, 0.5);
    private int reads;

    private Plan plan() {
        return planner.plan(new PlanInput(local, synced, remote, Set.of(), Set.of()), e -> {
            reads++;
            return contents.get(e.path());
        });
    }

    private void localFile(String path, String key, String checksum, long size, long mtime) {
        local.put(path, new LocalEntry(path, false, key, size, mtime));
        contents.put(path, new FileContent("sha256:" + checksum, size, List.of(checksum + "0000"), List.of(size)));
    }

    private void localFolder(String path, String key) {
        local.put(path, new LocalEntry(path, true, key, 0, 1));
    }

    /** A file both sides agree on, present locally as agreed. */
    private void syncedFile(long id, long parent, String name, String path, String key, String checksum) {
        synced.put(id, new SyncedItem(id, parent, name, false, 1, "sha256:" + checksum, 10, 100,
                List.of(checksum + "0000"), key, 10, 100));
        remote.put(id, new RemoteItem(id, parent, name, false, 1, false, "sha256:" + checksum, 10, 100,
                List.of(checksum + "0000"), "other"));
        if (path != null) {
            localFile(path, key, checksum, 10, 100);
        }
    }

    private void syncedFolder(long id, long parent, String name, String path, String key) {
        synced.put(id, new SyncedItem(id, parent, name, true, 1, "", 0, 0, List.of(), key, 0, 1));
        remote.put(id, new RemoteItem(id, parent, name, true, 1, false, "", 0, 0, List.of(), "other"));
        if (path != null) {
            localFolder(path, key);
        }
    }

    @Test
    void anAgreedTreeNeedsNothingAndReadsNoFile() {
        syncedFolder(1, 0, "docs", "docs", "k1");
        syncedFile(2, 1, "a.txt", "docs/a.txt", "k2", "aa");

        assertThat(plan().isEmpty()).isTrue();
        assertThat(reads).isZero();
    }

    @Test
    void aNewFolderAndItsFileCommitInOneRoundThroughATemporaryId() {
        localFolder("photos", "k1");
        localFile("photos/cat.jpg", "k2", "cc", 5, 7);

        Plan plan = plan();

        assertThat(plan.commits()).hasSize(2);
        CommitOp.New folder = (CommitOp.New) plan.commits().get(0);
        CommitOp.New file = (CommitOp.New) plan.commits().get(1);
        assertThat(folder.entry().folder()).isTrue();
        assertThat(folder.parent()).isEqualTo(Parent.ROOT);
        assertThat(file.parent()).isEqualTo(Parent.created(folder.tempId()));
        assertThat(file.content().checksum()).isEqualTo("sha256:cc");
    }

    @Test
    void aRenamedFileIsOneMoveByItsFileKeyNotADeleteAndANewFile() {
        syncedFile(2, 0, "a.txt", null, "k2", "aa");
        localFile("b.txt", "k2", "aa", 10, 100);

        Plan plan = plan();

        assertThat(plan.commits()).singleElement().isInstanceOfSatisfying(CommitOp.Move.class, m -> {
            assertThat(m.base().itemId()).isEqualTo(2);
            assertThat(m.name()).isEqualTo("b.txt");
            assertThat(m.version()).isEqualTo(2);
        });
        assertThat(plan.local()).isEmpty();
    }

    @Test
    void aRenamedFolderIsOneMoveAndItsFilesStay() {
        syncedFolder(1, 0, "docs", null, "k1");
        for (int i = 0; i < 50; i++) {
            syncedFile(10 + i, 1, "f" + i, "papers/f" + i, "kf" + i, "c" + i);
        }
        localFolder("papers", "k1");

        Plan plan = plan();

        assertThat(plan.commits()).singleElement().isInstanceOfSatisfying(CommitOp.Move.class,
                m -> assertThat(m.base().itemId()).isEqualTo(1));
        assertThat(reads).isZero();
    }

    @Test
    void aMoveWithoutFileKeysIsFoundByContent() {
        syncedFile(2, 0, "a.txt", null, null, "aa");
        syncedFolder(1, 0, "docs", "docs", null);
        localFile("docs/a.txt", null, "aa", 10, 100);

        Plan plan = plan();

        assertThat(plan.commits()).singleElement().isInstanceOfSatisfying(CommitOp.Move.class, m -> {
            assertThat(m.base().itemId()).isEqualTo(2);
            assertThat(m.parent()).isEqualTo(Parent.existing(1));
        });
    }

    @Test
    void aRemoteFolderAndItsFileAreCreatedInOneRoundParentFirst() {
        remote.put(1L, new RemoteItem(1, 0, "music", true, 1, false, "", 0, 0, List.of(), "other"));
        remote.put(2L, new RemoteItem(2, 1, "song.mp3", false, 1, false, "sha256:ss", 9, 5, List.of("ss0000"), "other"));

        Plan plan = plan();

        assertThat(plan.local()).hasSize(2);
        assertThat(plan.local().get(0)).isEqualTo(new LocalOp.MakeFolder(remote.get(1L), "music"));
        assertThat(plan.local().get(1)).isEqualTo(new LocalOp.Download(remote.get(2L), "music/song.mp3", null));
    }

    @Test
    void aRemoteEditOfAnUnchangedFileIsDownloadedOverIt() {
        syncedFile(2, 0, "a.txt", "a.txt", "k2", "aa");
        remote.put(2L, new RemoteItem(2, 0, "a.txt", false, 2, false, "sha256:bb", 11, 200, List.of("bb0000"), "other"));

        Plan plan = plan();

        assertThat(plan.local()).singleElement().isInstanceOfSatisfying(LocalOp.Download.class, d -> {
            assertThat(d.path()).isEqualTo("a.txt");
            assertThat(d.replacing()).isEqualTo(local.get("a.txt"));
        });
        assertThat(plan.commits()).isEmpty();
    }

    @Test
    void editsOnBothSidesKeepTheLocalOneAsAConflictedCopy() {
        syncedFile(2, 0, "a.txt", null, "k2", "aa");
        localFile("a.txt", "k2", "local", 12, 300);
        remote.put(2L, new RemoteItem(2, 0, "a.txt", false, 2, false, "sha256:bb", 11, 200, List.of("bb0000"), "other"));

        Plan plan = plan();

        assertThat(plan.local()).containsExactly(new LocalOp.MoveAside(2, "a.txt", "a.txt (conflicted copy)"));
        assertThat(plan.commits()).isEmpty();
    }

    @Test
    void theSameEditOnBothSidesIsAgreedWithoutACopy() {
        syncedFile(2, 0, "a.txt", null, "k2", "aa");
        localFile("a.txt", "k2", "bb", 11, 300);
        remote.put(2L, new RemoteItem(2, 0, "a.txt", false, 2, false, "sha256:bb", 11, 200, List.of("bb0000"), "other"));

        assertThat(plan().local()).singleElement().isInstanceOf(LocalOp.Adopt.class);
    }

    @Test
    void aLocalEditBeatsARemoteDelete() {
        syncedFile(2, 0, "a.txt", null, "k2", "aa");
        localFile("a.txt", "k2", "edited", 12, 300);
        remote.put(2L, new RemoteItem(2, 0, "a.txt", false, 2, true, "", 0, 100, List.of(), "other"));

        Plan plan = plan();

        assertThat(plan.local()).containsExactly(new LocalOp.Forget(2));
        assertThat(plan.commits()).isEmpty();
    }

    @Test
    void aRemoteEditBeatsALocalDelete() {
        syncedFile(2, 0, "a.txt", null, "k2", "aa");
        remote.put(2L, new RemoteItem(2, 0, "a.txt", false, 2, false, "sha256:bb", 11, 200, List.of("bb0000"), "other"));

        Plan plan = plan();

        assertThat(plan.local()).containsExactly(new LocalOp.Forget(2));
        assertThat(plan.commits()).isEmpty();
    }

    @Test
    void aRemoteDeleteOfAnUnchangedFileDeletesItHere() {
        syncedFile(2, 0, "a.txt", "a.txt", "k2", "aa");
        remote.put(2L, new RemoteItem(2, 0, "a.txt", false, 2, true, "", 0, 100, List.of(), "other"));

        assertThat(plan().local()).singleElement().isInstanceOf(LocalOp.DeleteLocal.class);
    }

    @Test
    void aDeletedFolderIsOneDeleteForItsWholeSubtree() {
        syncedFolder(1, 0, "docs", null, "k1");
        syncedFile(2, 1, "a.txt", null, "k2", "aa");
        syncedFile(3, 1, "b.txt", null, "k3", "bb");

        Plan plan = plan();

        assertThat(plan.commits()).singleElement().isInstanceOfSatisfying(CommitOp.Delete.class, d -> {
            assertThat(d.base().itemId()).isEqualTo(1);
            assertThat(d.files()).isEqualTo(2);
        });
    }

    @Test
    void aFileMovedOutOfADeletedFolderMovesBeforeTheDelete() {
        syncedFolder(1, 0, "docs", null, "k1");
        syncedFile(2, 1, "a.txt", null, "k2", "aa");
        localFile("a.txt", "k2", "aa", 10, 100);

        Plan plan = plan();

        assertThat(plan.commits()).hasSize(2);
        assertThat(plan.commits().get(0)).isInstanceOf(CommitOp.Move.class);
        assertThat(plan.commits().get(1)).isInstanceOf(CommitOp.Delete.class);
    }

    @Test
    void manyFilesVanishingAtOnceAreNotDeletedOnTheServer() {
        for (int i = 0; i < 40; i++) {
            syncedFile(10 + i, 0, "f" + i, i < 10 ? "f" + i : null, "k" + i, "c" + i);
        }

        Plan plan = plan();

        assertThat(plan.commits()).isEmpty();
        assertThat(plan.blocked()).hasValueSatisfying(why -> assertThat(why).contains("30 of 40"));
    }

    @Test
    void aLocalFileWhereANewRemoteOneArrivesIsAgreedWhenEqualAndKeptAsideWhenNot() {
        remote.put(5L, new RemoteItem(5, 0, "same.txt", false, 1, false, "sha256:ss", 10, 1, List.of("ss0000"), "o"));
        remote.put(6L, new RemoteItem(6, 0, "diff.txt", false, 1, false, "sha256:dd", 10, 1, List.of("dd0000"), "o"));
        localFile("same.txt", "k1", "ss", 10, 1);
        localFile("diff.txt", "k2", "mine", 10, 1);

        Plan plan = plan();

        assertThat(plan.local()).contains(new LocalOp.Adopt(remote.get(5L), local.get("same.txt")),
                new LocalOp.MoveAside(0, "diff.txt", "diff.txt (conflicted copy)"),
                new LocalOp.Download(remote.get(6L), "diff.txt", null));
        assertThat(plan.commits()).isEmpty();
    }

    @Test
    void aRemoteMoveOfAnUnchangedFileMovesItHere() {
        syncedFolder(1, 0, "docs", "docs", "k1");
        syncedFile(2, 0, "a.txt", "a.txt", "k2", "aa");
        remote.put(2L, new RemoteItem(2, 1, "a.txt", false, 2, false, "sha256:aa", 10, 100, List.of("aa0000"), "o"));

        Plan plan = plan();

        assertThat(plan.local()).singleElement().isInstanceOfSatisfying(LocalOp.MoveLocal.class, m -> {
            assertThat(m.from()).isEqualTo("a.txt");
            assertThat(m.to()).isEqualTo("docs/a.txt");
        });
    }

    @Test
    void aLocalRenameOntoANameTheServiceGaveANewItemMeanwhileTakesAConflictedCopysName() {
        syncedFile(2, 0, "f.txt", null, "k2", "aa");
        localFile("d.txt", "k2", "aa", 10, 100);
        remote.put(7L, new RemoteItem(7, 0, "d.txt", false, 1, false, "sha256:dd", 10, 1, List.of("dd0000"), "o"));

        Plan plan = plan();

        assertThat(plan.local()).containsExactly(new LocalOp.MoveAside(0, "d.txt", "d.txt (conflicted copy)"),
                new LocalOp.Download(remote.get(7L), "d.txt", null));
    }

    @Test
    void aLocalDeleteAfterARemoteChangeThatChangedNothingVisibleDeletesTheLatestVersion() {
        syncedFolder(1, 0, "e", null, "k1");
        remote.put(1L, new RemoteItem(1, 0, "e", true, 3, false, "", 0, 0, List.of(), "other"));

        Plan plan = plan();

        assertThat(plan.commits()).singleElement().isInstanceOfSatisfying(CommitOp.Delete.class,
                d -> assertThat(d.version()).isEqualTo(4));
    }

    @Test
    void aRenameOntoANameAnotherRenameFreesCommitsAfterItInTheSameRequest() {
        // c.txt renamed to d.txt, then a.txt to c.txt: the service checks names item by item.
        syncedFile(1, 0, "a.txt", null, "k1", "aa");
        syncedFile(2, 0, "c.txt", null, "k2", "cc");
        localFile("c.txt", "k1", "aa", 10, 100);
        localFile("d.txt", "k2", "cc", 10, 100);

        Plan plan = plan();

        assertThat(plan.commits()).extracting(CommitOp::path).containsExactly("d.txt", "c.txt");
    }

    @Test
    void aMoveOntoTheNameOfADeletedFolderCommitsAfterTheDelete() {
        syncedFolder(1, 0, "x", null, "k1");
        syncedFile(2, 0, "y.txt", null, "k2", "aa");
        localFile("x", "k2", "aa", 10, 100); // the folder deleted, the file renamed to its name

        Plan plan = plan();

        assertThat(plan.commits()).hasSize(2);
        assertThat(plan.commits().get(0)).isInstanceOf(CommitOp.Delete.class);
        assertThat(plan.commits().get(1)).isInstanceOfSatisfying(CommitOp.Move.class,
                m -> assertThat(m.name()).isEqualTo("x"));
    }

    @Test
    void aLocalRenameOntoTheNameAnotherDeviceRenamedAnItemToMeanwhileTakesAConflictedCopysName() {
        // Here a.txt became c.txt; there b.txt became c.txt first: the service keeps c.txt for b.
        syncedFile(1, 0, "a.txt", null, "k1", "aa");
        syncedFile(2, 0, "b.txt", "b.txt", "k2", "bb");
        localFile("c.txt", "k1", "aa", 10, 100);
        remote.put(2L, new RemoteItem(2, 0, "c.txt", false, 2, false, "sha256:bb", 10, 100, List.of("bb0000"), "o"));

        Plan plan = plan();

        assertThat(plan.local()).containsExactly(new LocalOp.MoveAside(0, "c.txt", "c.txt (conflicted copy)"),
                new LocalOp.MoveLocal(synced.get(2L), "b.txt", "c.txt", remote.get(2L)));
        assertThat(plan.commits()).as("no rename the service refuses").isEmpty();
    }

    @Test
    void twoNamesSwappedHereCommitOneThroughATemporaryNameAndTheOtherInPlace() {
        syncedFile(1, 0, "a.txt", null, "k1", "aa");
        syncedFile(2, 0, "c.txt", null, "k2", "cc");
        localFile("c.txt", "k1", "aa", 10, 100);
        localFile("a.txt", "k2", "cc", 10, 100);

        Plan plan = plan();

        assertThat(plan.commits()).extracting(op -> ((CommitOp.Move) op).name())
                .containsExactly(Planner.temporaryName(synced.get(1L)), "a.txt");
    }

    @Test
    void twoNamesSwappedElsewhereAreAppliedHereThroughATemporaryName() {
        syncedFile(1, 0, "a.txt", "a.txt", "k1", "aa");
        syncedFile(2, 0, "c.txt", "c.txt", "k2", "cc");
        remote.put(1L, new RemoteItem(1, 0, "c.txt", false, 2, false, "sha256:aa", 10, 100, List.of("aa0000"), "o"));
        remote.put(2L, new RemoteItem(2, 0, "a.txt", false, 2, false, "sha256:cc", 10, 100, List.of("cc0000"), "o"));
        String temporary = Planner.temporaryName(synced.get(1L));

        Plan first = plan();

        assertThat(first.local()).containsExactly(new LocalOp.MakeWay(synced.get(1L), "a.txt", temporary));
        assertThat(first.commits()).isEmpty();

        local.remove("a.txt");
        localFile(temporary, "k1", "aa", 10, 100);
        Plan second = plan();

        assertThat(second.local()).containsExactly(new LocalOp.MoveLocal(synced.get(2L), "c.txt", "a.txt", remote.get(2L)));
        assertThat(second.commits()).isEmpty();

        local.remove("c.txt");
        localFile("a.txt", "k2", "cc", 10, 100);
        synced.put(2L, new SyncedItem(2, 0, "a.txt", false, 1, "sha256:cc", 10, 100, List.of("cc0000"), "k2", 10, 100));
        Plan third = plan();

        assertThat(third.local()).contains(new LocalOp.MoveLocal(synced.get(1L), temporary, "c.txt", remote.get(1L)));
        assertThat(third.commits()).isEmpty();
    }

    @Test
    void aFolderMovedHereIntoOneTheServiceMovedIntoItGoesBackToItsPlaceThere() {
        syncedFolder(1, 0, "a", "a", "k1");
        syncedFolder(2, 0, "b", null, "k2");
        localFolder("a/b", "k2");
        remote.remove(2L); // the remote tree holds what changed there
        remote.put(1L, new RemoteItem(1, 2, "a", true, 2, false, "", 0, 0, List.of(), "o"));

        Plan plan = plan();

        assertThat(plan.local()).singleElement().isInstanceOfSatisfying(LocalOp.MoveLocal.class, m -> {
            assertThat(m.from()).isEqualTo("a/b");
            assertThat(m.to()).isEqualTo("b");
        });
        assertThat(plan.commits()).as("no move the service refuses as a cycle").isEmpty();
    }
    /** The paths the plan's local operations write (create, replace or move something onto). */
    private static List<String> written(Plan plan) {
        List<String> paths = new java.util.ArrayList<>();
        for (LocalOp op : plan.local()) {
            if (op instanceof LocalOp.Download d) {
                paths.add(d.path());
            } else if (op instanceof LocalOp.MakeFolder f) {
                paths.add(f.path());
            } else if (op instanceof LocalOp.MoveLocal m && !m.from().equals(m.to())) {
                paths.add(m.to());
            } else if (op instanceof LocalOp.MoveAside a) {
                paths.add(a.copyPath());
            } else if (op instanceof LocalOp.MakeWay w) {
                paths.add(w.temporaryPath());
            }
        }
        return paths;
    }

    @Test
    void aRenameHereOntoANameTheServiceGaveAnItemNewHereWhileTheRenamedFileChangedThereWritesTheNameOnce() {
        // Seed 607380: offline, c.txt (3) was renamed onto f.txt; there c.txt was edited, and f.txt
        // is an item this device does not know (it forgot it, or it is new). The name goes to the
        // service's f.txt and c.txt's file aside; c.txt's edit must not be downloaded to f.txt too
        // (two downloads to one name in one round: the one recorded could hold the other's bytes).
        syncedFile(3, 0, "c.txt", null, "k3", "cc");
        localFile("f.txt", "k3", "cc", 10, 100);
        remote.put(3L, new RemoteItem(3, 0, "c.txt", false, 2, false, "sha256:ee", 12, 200, List.of("ee0000"), "o"));
        remote.put(2L, new RemoteItem(2, 0, "f.txt", false, 3, false, "sha256:bb", 11, 150, List.of("bb0000"), "o"));

        Plan plan = plan();

        assertThat(plan.local()).containsExactly(new LocalOp.MoveAside(0, "f.txt", "f.txt (conflicted copy)"),
                new LocalOp.Download(remote.get(2L), "f.txt", null));
        assertThat(plan.commits()).isEmpty();
    }

    @Test
    void aRenameHereOntoANameAnotherItemWasMovedToThereWhileTheRenamedFileChangedThereWritesTheNameOnce() {
        // Here c.txt (3) became f.txt; there g.txt (4) became f.txt and c.txt was edited.
        syncedFile(3, 0, "c.txt", null, "k3", "cc");
        syncedFile(4, 0, "g.txt", "g.txt", "k4", "gg");
        localFile("f.txt", "k3", "cc", 10, 100);
        remote.put(3L, new RemoteItem(3, 0, "c.txt", false, 2, false, "sha256:ee", 12, 200, List.of("ee0000"), "o"));
        remote.put(4L, new RemoteItem(4, 0, "f.txt", false, 2, false, "sha256:gg", 10, 100, List.of("gg0000"), "o"));

        Plan plan = plan();

        assertThat(plan.local()).containsExactly(new LocalOp.MoveAside(0, "f.txt", "f.txt (conflicted copy)"),
                new LocalOp.MoveLocal(synced.get(4L), "g.txt", "f.txt", remote.get(4L)));
        assertThat(written(plan)).doesNotHaveDuplicates();
        assertThat(plan.commits()).isEmpty();
    }

    @Test
    void anItemMovedHereOntoANameWhereTheServiceCreatedAFolderWritesNothingUnderTheOldFolder() {
        // Here folder docs (1) was renamed to papers; there a new folder papers (9) with a file
        // came, and docs/a.txt (2) was edited: the rename loses, and the edit waits for the copy.
        syncedFolder(1, 0, "docs", null, "k1");
        syncedFile(2, 1, "a.txt", null, "k2", "aa");
        localFolder("papers", "k1");
        localFile("papers/a.txt", "k2", "aa", 10, 100);
        remote.put(2L, new RemoteItem(2, 1, "a.txt", false, 2, false, "sha256:ee", 12, 200, List.of("ee0000"), "o"));
        remote.put(9L, new RemoteItem(9, 0, "papers", true, 1, false, "", 0, 0, List.of(), "o"));
        remote.put(10L, new RemoteItem(10, 9, "a.txt", false, 1, false, "sha256:nn", 10, 1, List.of("nn0000"), "o"));

        Plan plan = plan();

        assertThat(plan.local()).containsExactly(new LocalOp.MoveAside(0, "papers", "papers (conflicted copy)"),
                new LocalOp.MakeFolder(remote.get(9L), "papers"),
                new LocalOp.Download(remote.get(10L), "papers/a.txt", null));
        assertThat(plan.commits()).isEmpty();
    }
    @Test
    void aFileKeyTwoSyncedItemsHoldMatchesNeitherByKey() {
        // x.txt (2) was deleted here and its inode number went to the file downloaded for f.txt (3)
        // before x.txt's delete was committed: x.txt was deleted, not renamed onto f.txt.
        syncedFile(2, 0, "x.txt", null, "k9", "xx");
        syncedFile(3, 0, "f.txt", "f.txt", "k9", "ff");

        Plan plan = plan();

        assertThat(plan.commits()).singleElement().isInstanceOfSatisfying(CommitOp.Delete.class,
                d -> assertThat(d.base().itemId()).isEqualTo(2));
        assertThat(plan.local()).isEmpty();
    }
    @Test
    void aRenameOntoTheNameOfAFileMovedIntoANewFolderCommitsAfterThatMoveInTheSameRequest() {
        // a.txt moved into the new folder n, then b.txt renamed to a.txt.
        syncedFile(1, 0, "a.txt", null, "k1", "aa");
        syncedFile(2, 0, "b.txt", null, "k2", "bb");
        localFolder("n", "kn");
        localFile("n/a.txt", "k1", "aa", 10, 100);
        localFile("a.txt", "k2", "bb", 10, 100);

        Plan plan = plan();

        assertThat(plan.commits()).extracting(CommitOp::path).containsExactly("n", "n/a.txt", "a.txt");
        assertThat(plan.commits().get(2)).isInstanceOfSatisfying(CommitOp.Move.class,
                m -> assertThat(m.name()).isEqualTo("a.txt"));
    }

    @Test
    void aFolderWhoseFileMovedIntoANewFolderIsDeletedAfterThatMove() {
        // d/x.txt moved into the new folder n, then d deleted: deleting d first would delete x.txt.
        syncedFolder(1, 0, "d", null, "k1");
        syncedFile(2, 1, "x.txt", null, "k2", "xx");
        localFolder("n", "kn");
        localFile("n/x.txt", "k2", "xx", 10, 100);

        Plan plan = plan();

        assertThat(plan.commits()).hasSize(3);
        assertThat(plan.commits().get(0)).isInstanceOf(CommitOp.New.class);
        assertThat(plan.commits().get(1)).isInstanceOfSatisfying(CommitOp.Move.class,
                m -> assertThat(m.base().itemId()).isEqualTo(2));
        assertThat(plan.commits().get(2)).isInstanceOfSatisfying(CommitOp.Delete.class,
                d -> assertThat(d.base().itemId()).isEqualTo(1));
    }

    @Test
    void aNewFolderTakingTheNameOfAFolderRenamedAwayIsCreatedAfterTheRename() {
        // Folder a renamed to b, then a new folder a made.
        syncedFolder(1, 0, "a", null, "k1");
        localFolder("b", "k1");
        localFolder("a", "k9");

        Plan plan = plan();

        assertThat(plan.commits()).extracting(CommitOp::path).containsExactly("b", "a");
        assertThat(plan.commits().get(1)).isInstanceOf(CommitOp.New.class);
    }
    @Test
    void aFileMovedOutOfAFolderDeletedThereMovesHereBeforeTheFolderIsDeleted() {
        syncedFolder(1, 0, "docs", "docs", "k1");
        syncedFile(2, 1, "a.txt", "docs/a.txt", "k2", "aa");
        remote.put(1L, new RemoteItem(1, 0, "docs", true, 2, true, "", 0, 0, List.of(), "o"));
        remote.put(2L, new RemoteItem(2, 0, "a.txt", false, 2, false, "sha256:aa", 10, 100, List.of("aa0000"), "o"));

        Plan plan = plan();

        assertThat(plan.local()).containsExactly(
                new LocalOp.MoveLocal(synced.get(2L), "docs/a.txt", "a.txt", remote.get(2L)),
                new LocalOp.DeleteLocal(synced.get(1L), "docs", local.get("docs")));
        assertThat(plan.commits()).isEmpty();
    }

    @Test
    void aFolderDeletedThereStaysUntilWhatMovedOutOfItIntoAFolderNewHereHasMoved() {
        syncedFolder(1, 0, "docs", "docs", "k1");
        syncedFile(2, 1, "a.txt", "docs/a.txt", "k2", "aa");
        remote.put(1L, new RemoteItem(1, 0, "docs", true, 2, true, "", 0, 0, List.of(), "o"));
        remote.put(9L, new RemoteItem(9, 0, "m", true, 1, false, "", 0, 0, List.of(), "o"));
        remote.put(2L, new RemoteItem(2, 9, "a.txt", false, 2, false, "sha256:aa", 10, 100, List.of("aa0000"), "o"));

        Plan plan = plan();

        assertThat(plan.local()).containsExactly(new LocalOp.MakeFolder(remote.get(9L), "m"));
        assertThat(plan.commits()).isEmpty();
    }
}
