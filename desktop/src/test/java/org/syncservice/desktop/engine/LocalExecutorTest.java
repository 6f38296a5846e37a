package org.syncservice.desktop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.desktop.content.ContentReader;
import org.syncservice.desktop.content.FileContent;
import org.syncservice.desktop.content.TestStorage;
import org.syncservice.desktop.content.TransferProgress;
import org.syncservice.desktop.local.FolderScanner;
import org.syncservice.desktop.local.IgnoreRules;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.plan.LocalOp;
import org.syncservice.desktop.state.RemoteItem;
import org.syncservice.desktop.state.StateDatabase;
import org.syncservice.desktop.state.SyncedItem;

class LocalExecutorTest {
    @TempDir
    Path dir;
    private TestStorage storage;
    private StateDatabase state;
    private Path root;
    private LocalExecutor executor;

    @BeforeEach
    void start() throws Exception {
        storage = TestStorage.start();
        root = Files.createDirectories(dir.resolve("folder"));
        state = StateDatabase.open(dir.resolve("state"));
        executor = new LocalExecutor(root, new FolderScanner(root, IgnoreRules.defaults(), false),
                IgnoreRules.defaults(), storage.transfer(), state, new Problems(state));
    }

    @AfterEach
    void stop() throws Exception {
        state.close();
        storage.close();
    }

    /** A file version the storage holds, as the service lists it. */
    private RemoteItem stored(long itemId, String name, String text) throws IOException {
        Path source = Files.writeString(dir.resolve("source-" + itemId), text, StandardCharsets.UTF_8);
        FileContent content = new ContentReader().read(source);
        storage.transfer().upload(source, content, TransferProgress.NONE);
        return new RemoteItem(itemId, 0, name, false, 1, false, content.checksum(), content.size(),
                1_000_000L * itemId, content.chunks(), "other");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(20, TimeUnit.SECONDS)).as("the other download's step").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void twoDownloadsToOneNameAtOnceNeverRecordOneOfThemWithTheOthersBytes() throws Exception {
        // Seed 607380's round: the service's f.txt is downloaded to f.txt, and so is, at the same
        // time, the remote edit of the file renamed onto f.txt here (moved aside just before).
        RemoteItem theirs = stored(2, "f.txt", "the service's f.txt");
        RemoteItem edit = stored(3, "c.txt", "c.txt as edited elsewhere, longer than the service's f.txt");
        LocalEntry renamedHere = new LocalEntry("f.txt", false, "(dev=0,ino=1)", 10, 100);
        CountDownLatch editWritten = new CountDownLatch(1);
        CountDownLatch theirsPlaced = new CountDownLatch(1);

        // Their bytes are written first, then the edit's, then theirs is moved into place.
        CompletableFuture<Boolean> editRun = new CompletableFuture<>();
        CompletableFuture<Boolean> theirsRun = CompletableFuture.supplyAsync(() -> {
            try {
                return executor.run(new LocalOp.Download(theirs, "f.txt", null), bytes -> await(editWritten));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                theirsPlaced.countDown();
            }
        });
        Thread editThread = new Thread(() -> {
            try {
                editRun.complete(executor.run(new LocalOp.Download(edit, "f.txt", renamedHere), bytes -> {
                    editWritten.countDown();
                    await(theirsPlaced);
                }));
            } catch (Throwable e) {
                editRun.completeExceptionally(e);
            }
        });
        editThread.start();

        assertThat(theirsRun.get(30, TimeUnit.SECONDS)).isTrue();
        editThread.join(30_000);
        assertThat(Files.readString(root.resolve("f.txt"))).isEqualTo("the service's f.txt");
        SyncedItem recorded = state.syncedTree().get(2L);
        LocalEntry now = new FolderScanner(root, IgnoreRules.defaults(), false).stat("f.txt").orElseThrow();
        assertThat(recorded.checksum()).isEqualTo(theirs.checksum());
        assertThat(recorded.fileKey()).isEqualTo(now.fileKey());
        assertThat(editRun.get(30, TimeUnit.SECONDS)).as("the edit finds f.txt is not the file it replaces").isFalse();
        assertThat(state.syncedTree()).doesNotContainKey(3L);
        try (var left = Files.list(root)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("f.txt");
        }
    }
}
