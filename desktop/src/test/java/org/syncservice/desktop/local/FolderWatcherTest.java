package org.syncservice.desktop.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.syncservice.desktop.local.RecordingListener.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderWatcherTest {

    /** Short, so the tests are quick; nothing asserts how quick. */
    private static final WatchTiming QUICK = WatchTiming.defaults().withQuietPeriod(Duration.ofMillis(100));

    @TempDir
    Path root;

    private final RecordingListener listener = new RecordingListener();
    private final List<FolderWatcher> watchers = new ArrayList<>();

    @AfterEach
    void closeWatchers() {
        watchers.forEach(FolderWatcher::close);
    }

    private FolderWatcher started(WatchTiming timing) throws IOException {
        return started(new FolderWatcher(root, IgnoreRules.defaults(), timing, listener));
    }

    private FolderWatcher started(FolderWatcher watcher) throws IOException {
        watchers.add(watcher);
        watcher.start();
        return watcher;
    }

    @Test
    void aCreatedFileIsReported() throws IOException {
        started(QUICK);

        Files.writeString(root.resolve("new.txt"), "x");

        listener.awaitPath("new.txt");
    }

    @Test
    void aModifiedFileIsReported() throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/notes.txt"), "first");
        started(QUICK);

        Files.writeString(root.resolve("docs/notes.txt"), " and more", StandardOpenOption.APPEND);

        listener.awaitPath("docs/notes.txt");
    }

    @Test
    void aRenamedFileIsReportedAtBothPaths() throws IOException {
        Files.writeString(root.resolve("before.txt"), "x");
        Files.createDirectories(root.resolve("elsewhere"));
        started(QUICK);

        Files.move(root.resolve("before.txt"), root.resolve("elsewhere/after.txt"));

        listener.awaitPath("before.txt");
        listener.awaitPath("elsewhere/after.txt");
    }

    @Test
    void aDeletedFileIsReported() throws IOException {
        Files.writeString(root.resolve("doomed.txt"), "x");
        started(QUICK);

        Files.delete(root.resolve("doomed.txt"));

        listener.awaitPath("doomed.txt");
    }

    @Test
    void aFileWrittenAtOnceIntoNewNestedFoldersIsReportedAndTheFoldersAreWatched() throws IOException {
        started(QUICK);

        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/f"), "written before the watcher saw the folders");

        listener.awaitPath("a/b/c/f");
        assertThat(listener.reports().stream().flatMap(report -> report.paths().stream()))
                .contains("a", "a/b", "a/b/c");
        Files.writeString(root.resolve("a/b/c/later"), "x");
        listener.awaitPath("a/b/c/later");
    }

    @Test
    void aBurstOfWritesIsReportedInFewReports() throws IOException {
        // A quiet period far longer than a loop of small writes takes, even on a loaded machine.
        started(new WatchTiming(Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofHours(1)));
        Path file = root.resolve("burst.txt");

        for (int i = 0; i < 100; i++) {
            Files.writeString(file, "line " + i + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        // Events arrive in order, so every report of the burst comes before or with this one.
        Files.writeString(root.resolve("after-the-burst"), "x");
        listener.awaitPath("after-the-burst");

        assertThat(listener.reports()).filteredOn(report -> report.paths().contains("burst.txt"))
                .hasSizeBetween(1, 2);
        assertThat(listener.reports()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void temporaryDownloadsAndJunkAreNotReported() throws IOException {
        started(QUICK);

        Files.writeString(root.resolve(IgnoreRules.temporaryNameFor("photo.jpg")), "half a photo");
        Files.writeString(root.resolve(".DS_Store"), "junk");
        Files.writeString(root.resolve("photo.jpg"), "a photo");

        listener.awaitPath("photo.jpg");
        assertThat(listener.anyReportNames(IgnoreRules.temporaryNameFor("photo.jpg"))).isFalse();
        assertThat(listener.anyReportNames(".DS_Store")).isFalse();
    }

    @Test
    void aRenamedFolderIsWatchedUnderItsNewName() throws IOException {
        Files.createDirectories(root.resolve("old/inner"));
        started(QUICK);

        Files.move(root.resolve("old"), root.resolve("new"));
        listener.awaitPath("new");
        Files.writeString(root.resolve("new/inner/f.txt"), "x");

        listener.awaitPath("new/inner/f.txt");
        assertThat(listener.anyReportNames("old/inner/f.txt")).isFalse();
    }

    @Test
    void aMovedFolderIsWatchedUnderItsNewNameWhenTheArrivalIsSeenBeforeTheDeparture() throws Exception {
        Files.createDirectories(root.resolve("from/moving"));
        Files.createDirectories(root.resolve("to"));
        CountDownLatch inFirstReport = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        started(new FolderWatcher(root, IgnoreRules.defaults(), QUICK, (paths, overflow) -> {
            if (inFirstReport.getCount() > 0) {
                inFirstReport.countDown();
                awaitQuietly(release);
            }
            listener.onChange(paths, overflow);
        }));
        Files.writeString(root.resolve("first"), "x");
        assertThat(inFirstReport.await(RecordingListener.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        // While the watcher is held in its first report, "to" is signalled before "from": the move's
        // arrival is handled before its departure.
        Files.writeString(root.resolve("to/queued-first"), "x");
        Files.move(root.resolve("from/moving"), root.resolve("to/moving"));
        release.countDown();
        listener.awaitPath("from/moving");
        Files.writeString(root.resolve("to/moving/f.txt"), "x");

        listener.awaitPath("to/moving/f.txt");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aFolderMovedOutOfTheSyncedFolderIsNoLongerReported() throws IOException {
        Path outside = Files.createTempDirectory("outside");
        try {
            Files.createDirectories(root.resolve("leaving"));
            started(QUICK);

            Files.move(root.resolve("leaving"), outside.resolve("left"));
            listener.awaitPath("leaving");
            Files.writeString(outside.resolve("left/f.txt"), "not ours any more");
            Files.writeString(root.resolve("sentinel"), "x");

            listener.awaitPath("sentinel");
            assertThat(listener.anyReportNames("leaving/f.txt")).isFalse();
        } finally {
            Files.deleteIfExists(outside.resolve("left/f.txt"));
            Files.deleteIfExists(outside.resolve("left"));
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void aFullScanIsAskedForPeriodically() throws IOException {
        started(QUICK.withRescanInterval(Duration.ofMillis(200)));

        listener.awaitOverflow();
    }

    @Test
    void theSyncedFolderVanishingAsksForAFullScan() throws IOException {
        Path synced = Files.createDirectories(root.resolve("synced"));
        started(new FolderWatcher(synced, IgnoreRules.defaults(), QUICK, listener));

        Files.delete(synced);

        listener.awaitOverflow();
    }

    /** Registers folders as the watcher does, except "big" while the limit is said to be reached. */
    private static FolderWatcher.Registrar failingFor(String name, AtomicBoolean limitReached) {
        return (service, folder) -> {
            if (limitReached.get() && folder.getFileName().toString().equals(name)) {
                throw new IOException("User limit of inotify watches reached");
            }
            return folder.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
        };
    }

    @Test
    void aFolderThatCannotBeRegisteredAsksForAFullScan() throws IOException {
        Files.createDirectories(root.resolve("big"));
        // No periodic rescan within the test's patience: the overflow can only be the failure's.
        FolderWatcher watcher = started(new FolderWatcher(root, IgnoreRules.defaults(),
                QUICK.withRescanInterval(Duration.ofHours(1)), listener, failingFor("big", new AtomicBoolean(true))));

        assertThat(watcher.watchingEverything()).isFalse();
        listener.awaitOverflow();
    }

    @Test
    void aNewFolderThatCannotBeRegisteredAsksForAFullScan() throws IOException {
        FolderWatcher watcher = started(new FolderWatcher(root, IgnoreRules.defaults(),
                QUICK.withRescanInterval(Duration.ofHours(1)), listener, failingFor("big", new AtomicBoolean(true))));
        assertThat(watcher.watchingEverything()).isTrue();

        Files.createDirectories(root.resolve("big"));

        listener.awaitOverflow();
        assertThat(watcher.watchingEverything()).isFalse();
    }

    @Test
    void aFolderThatCouldNotBeRegisteredIsRegisteredAtALaterRescan() throws IOException {
        Files.createDirectories(root.resolve("big/deeper"));
        AtomicBoolean limitReached = new AtomicBoolean(true);
        FolderWatcher watcher = started(new FolderWatcher(root, IgnoreRules.defaults(),
                QUICK.withRescanInterval(Duration.ofMillis(200)), listener, failingFor("big", limitReached)));
        assertThat(watcher.watchingEverything()).isFalse();

        limitReached.set(false);
        await(watcher::watchingEverything, "every folder to be watched again");
        Files.writeString(root.resolve("big/deeper/f.txt"), "x");

        listener.awaitPath("big/deeper/f.txt");
    }

    @Test
    void anIdleWatcherSleepsUntilSomethingHappens() throws Exception {
        FolderWatcher watcher = started(QUICK.withRescanInterval(Duration.ofHours(1)));
        Files.writeString(root.resolve("settle"), "x");
        listener.awaitPath("settle");
        long awake = watcher.wakeUps();

        Thread.sleep(1_000); // a polling loop would wake up in this time; a blocked watcher does not

        assertThat(watcher.wakeUps()).isEqualTo(awake);
        Files.writeString(root.resolve("wake-up"), "x");
        listener.awaitPath("wake-up");
        assertThat(watcher.wakeUps()).isGreaterThan(awake);
    }

    @Test
    void closeStopsTheWatchersThreadAndCanBeRepeated() throws IOException {
        FolderWatcher watcher = started(QUICK);
        assertThat(watcher.running()).isTrue();

        watcher.close();
        watcher.close();

        assertThat(watcher.running()).isFalse();
        assertThatThrownBy(watcher::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMissingSyncedFolderCannotBeWatched() {
        FolderWatcher watcher = new FolderWatcher(root.resolve("missing"), IgnoreRules.defaults(), QUICK, listener);
        watchers.add(watcher);

        assertThatThrownBy(watcher::start).isInstanceOf(SyncRootMissingException.class);
    }
}
