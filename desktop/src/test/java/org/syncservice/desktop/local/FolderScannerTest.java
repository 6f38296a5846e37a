package org.syncservice.desktop.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderScannerTest {

    @TempDir
    Path temp;

    private Path root() throws IOException {
        return Files.createDirectories(temp.resolve("synced"));
    }

    private static List<String> paths(List<LocalEntry> entries) {
        return entries.stream().map(LocalEntry::path).toList();
    }

    @Test
    void filesAndFoldersAreListedParentsFirstWithSizeAndModificationTime() throws IOException {
        Path root = root();
        Files.createDirectories(root.resolve("b/c"));
        Files.createDirectories(root.resolve("z"));
        Files.writeString(root.resolve("b/c/d.txt"), "deep");
        Files.writeString(root.resolve("b/x.txt"), "x");
        Files.writeString(root.resolve("a.txt"), "hello");
        Files.setLastModifiedTime(root.resolve("a.txt"), FileTime.fromMillis(1_700_000_000_123L));

        List<LocalEntry> entries = new FolderScanner(root, IgnoreRules.defaults()).scan();

        assertThat(paths(entries)).containsExactly("a.txt", "b", "z", "b/c", "b/x.txt", "b/c/d.txt");
        LocalEntry file = entries.get(0);
        assertThat(file.folder()).isFalse();
        assertThat(file.size()).isEqualTo(5);
        assertThat(file.modifiedMs()).isEqualTo(1_700_000_000_123L);
        LocalEntry folder = entries.get(1);
        assertThat(folder.folder()).isTrue();
        assertThat(folder.size()).isZero();
    }

    @Test
    void temporaryDownloadsJunkAndIgnoredFoldersAreLeftOut() throws IOException {
        Path root = root();
        Files.createDirectories(root.resolve("docs/node_modules/lib"));
        Files.writeString(root.resolve("docs/node_modules/lib/index.js"), "x");
        Files.writeString(root.resolve("docs/" + IgnoreRules.temporaryNameFor("report.pdf")), "half");
        Files.writeString(root.resolve("docs/.DS_Store"), "junk");
        Files.writeString(root.resolve("~$report.docx"), "lock");
        Files.writeString(root.resolve("docs/report.docx"), "real");
        List<SkippedPath> skipped = new ArrayList<>();

        List<LocalEntry> entries = new FolderScanner(root, IgnoreRules.withPatterns(List.of("node_modules")))
                .scan(skipped::add);

        assertThat(paths(entries)).containsExactly("docs", "docs/report.docx");
        assertThat(skipped).isEmpty();
    }

    @Test
    void symbolicLinksAreNeitherFollowedNorListedButReported() throws IOException {
        Path root = root();
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "not synced");
        Files.createSymbolicLink(root.resolve("linked-folder"), outside);
        Files.createSymbolicLink(root.resolve("linked-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), temp.resolve("nowhere"));
        Files.writeString(root.resolve("real.txt"), "synced");
        List<SkippedPath> skipped = new ArrayList<>();

        List<LocalEntry> entries = new FolderScanner(root, IgnoreRules.defaults()).scan(skipped::add);

        assertThat(paths(entries)).containsExactly("real.txt");
        assertThat(skipped).extracting(SkippedPath::path, SkippedPath::reason).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("linked-folder", SkippedPath.Reason.SYMBOLIC_LINK),
                org.assertj.core.groups.Tuple.tuple("linked-file", SkippedPath.Reason.SYMBOLIC_LINK),
                org.assertj.core.groups.Tuple.tuple("dangling", SkippedPath.Reason.SYMBOLIC_LINK));
    }

    @Test
    void aSyncedFolderThatIsItselfALinkIsScannedThroughTheLink() throws IOException {
        Path real = root();
        Files.writeString(real.resolve("a.txt"), "a");
        Path link = Files.createSymbolicLink(temp.resolve("link-to-synced"), real);

        assertThat(paths(new FolderScanner(link, IgnoreRules.defaults()).scan())).containsExactly("a.txt");
    }

    @Test
    void aNamedPipeIsReportedAsASpecialFile() throws Exception {
        Path root = root();
        Path pipe = root.resolve("pipe");
        int exit;
        try {
            exit = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor();
        } catch (IOException noMkfifo) {
            exit = -1;
        }
        assumeThat(exit).as("mkfifo is available").isZero();
        List<SkippedPath> skipped = new ArrayList<>();

        List<LocalEntry> entries = new FolderScanner(root, IgnoreRules.defaults()).scan(skipped::add);

        assertThat(entries).isEmpty();
        assertThat(skipped).extracting(SkippedPath::reason).containsExactly(SkippedPath.Reason.SPECIAL_FILE);
    }

    @Test
    void aFileKeepsItsKeyWhenRenamedIntoAnotherFolder() throws IOException {
        Path root = root();
        Files.createDirectories(root.resolve("later"));
        Files.writeString(root.resolve("first.txt"), "content");
        FolderScanner scanner = new FolderScanner(root, IgnoreRules.defaults());
        String key = scanner.stat("first.txt").orElseThrow().fileKey();
        assumeThat(key).as("this file system has file keys").isNotNull();

        Files.move(root.resolve("first.txt"), root.resolve("later/renamed.txt"));
        List<LocalEntry> after = scanner.scan();

        assertThat(after).filteredOn(entry -> key.equals(entry.fileKey()))
                .extracting(LocalEntry::path).containsExactly("later/renamed.txt");
    }

    @Test
    void aMissingSyncedFolderIsNotAnEmptyOne() throws IOException {
        Path root = root();
        Files.delete(root);
        FolderScanner scanner = new FolderScanner(root, IgnoreRules.defaults());

        assertThatThrownBy(scanner::scan).isInstanceOf(SyncRootMissingException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> scanner.stat("a.txt")).isInstanceOf(SyncRootMissingException.class);
    }

    @Test
    void aSyncedFolderThatLostItsMarkerIsMissingLikeAnEmptyMountPoint() throws IOException {
        Path root = root();
        Files.writeString(root.resolve("a.txt"), "a");
        FolderMarker.place(root);
        FolderMarker.place(root);
        FolderScanner scanner = new FolderScanner(root, IgnoreRules.defaults(), true);
        assertThat(paths(scanner.scan())).containsExactly("a.txt");

        Files.delete(root.resolve(FolderMarker.NAME));
        Files.delete(root.resolve("a.txt"));

        assertThatThrownBy(scanner::scan).isInstanceOf(SyncRootMissingException.class)
                .hasMessageContaining(FolderMarker.NAME);
        assertThatThrownBy(() -> scanner.stat("a.txt")).isInstanceOf(SyncRootMissingException.class);
        assertThat(new FolderScanner(root, IgnoreRules.defaults()).scan()).isEmpty();
    }

    @Test
    void aSyncedFolderThatIsAFileIsMissingToo() throws IOException {
        Path file = Files.writeString(temp.resolve("not-a-folder"), "x");

        assertThatThrownBy(() -> new FolderScanner(file, IgnoreRules.defaults()).scan())
                .isInstanceOf(SyncRootMissingException.class).hasMessageContaining("is not a folder");
    }

    @Test
    void aFolderThatCannotBeListedIsListedItselfAndReported() throws IOException {
        Path root = root();
        Path locked = Files.createDirectories(root.resolve("locked"));
        Files.writeString(locked.resolve("inside.txt"), "x");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            assumeThat(Files.isReadable(locked)).as("permissions hold for this user (not root)").isFalse();
            List<SkippedPath> skipped = new ArrayList<>();

            List<LocalEntry> entries = new FolderScanner(root, IgnoreRules.defaults()).scan(skipped::add);

            assertThat(paths(entries)).containsExactly("locked");
            assertThat(skipped).extracting(SkippedPath::path, SkippedPath::reason)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("locked", SkippedPath.Reason.UNREADABLE));
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void statSeesOnePathAsItIsNow() throws IOException {
        Path root = root();
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/f.txt"), "12345");
        FolderScanner scanner = new FolderScanner(root, IgnoreRules.defaults());

        Optional<LocalEntry> file = scanner.stat("a/f.txt");

        assertThat(file).get().extracting(LocalEntry::path, LocalEntry::folder, LocalEntry::size)
                .containsExactly("a/f.txt", false, 5L);
        assertThat(file.get()).isEqualTo(scanner.scan().get(1));
        assertThat(scanner.stat("a")).get().extracting(LocalEntry::folder).isEqualTo(true);
        assertThat(scanner.stat("a/missing.txt")).isEmpty();
        assertThat(scanner.stat("missing/f.txt")).isEmpty();
        assertThat(scanner.stat("a/f.txt/below")).isEmpty();
    }

    @Test
    void statRefusesALinkAndAPathThroughALink() throws IOException {
        Path root = root();
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("f.txt"), "x");
        Files.createSymbolicLink(root.resolve("link"), outside);
        FolderScanner scanner = new FolderScanner(root, IgnoreRules.defaults());

        assertThatThrownBy(() -> scanner.stat("link")).isInstanceOf(UnsyncablePathException.class)
                .extracting(e -> ((UnsyncablePathException) e).skipped().reason())
                .isEqualTo(SkippedPath.Reason.SYMBOLIC_LINK);
        assertThatThrownBy(() -> scanner.stat("link/f.txt")).isInstanceOf(UnsyncablePathException.class)
                .extracting(e -> ((UnsyncablePathException) e).skipped().path()).isEqualTo("link");
    }

    @Test
    void statRefusesPathsThatLeaveTheSyncedFolder() throws IOException {
        FolderScanner scanner = new FolderScanner(root(), IgnoreRules.defaults());

        for (String path : List.of("../x", "a/../../x", "/etc/passwd", "", "a//b", "a/")) {
            assertThatThrownBy(() -> scanner.stat(path)).as(path).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
