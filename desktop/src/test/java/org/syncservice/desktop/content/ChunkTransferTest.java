package org.syncservice.desktop.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.TimeUnit;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkTransferTest {
    private static final int MIB = 1 << 20;
    /** Less than the 64 MiB file, more than the JVM, the AWS presigner and two 8 MiB chunks read twice over need. */
    private static final int SMALL_HEAP_MIB = 56;

    @TempDir
    Path dir;

    private final ContentReader reader = new ContentReader();
    private TestS3Store store;
    private PresignedStorageUrls urls;
    private ChunkTransfer transfer;

    @BeforeEach
    void start() throws Exception {
        store = TestS3Store.start();
        urls = new PresignedStorageUrls(store.signer());
        transfer = transfer(1000);
    }

    @AfterEach
    void stop() throws Exception {
        transfer.close();
        store.close();
    }

    private ChunkTransfer transfer(int maxChunksPerRequest) {
        return new ChunkTransfer(urls, reader, new ChunkTransfer.Settings(maxChunksPerRequest, 4, 3,
                Duration.ofMillis(1), Duration.ofSeconds(30), ContentReader.MAX_CHUNK_SIZE));
    }

    @Test
    void anUploadSendsOnlyTheChunksTheStorageLacks() throws IOException {
        long seed = TestData.seed();
        Path file = TestData.randomFile(dir.resolve("file"), seed, 20 * MIB);
        FileContent content = reader.read(file);
        int chunks = content.chunks().size();

        Counted first = new Counted();
        transfer.upload(file, content, first);
        assertThat(store.puts()).as(TestData.replay(seed)).isEqualTo(chunks);
        assertThat(first.transferred.get()).isEqualTo(content.size());
        assertThat(content.chunks()).allSatisfy(chunk -> assertThat(store.holds(chunk)).isTrue());

        Counted again = new Counted();
        transfer.upload(file, content, again);
        assertThat(store.puts()).isEqualTo(chunks);
        assertThat(again.skipped.get()).isEqualTo(content.size());
        assertThat(again.transferred.get()).isZero();

        String lost = content.chunks().get(2);
        store.remove(lost);
        transfer.upload(file, content, TransferProgress.NONE);
        assertThat(store.puts()).isEqualTo(chunks + 1);
        assertThat(store.holds(lost)).isTrue();
    }

    @Test
    void aChunkThatAFileHoldsSeveralTimesIsUploadedOnce() throws IOException {
        // Zeros never match the gear hash's mask, so they are cut into equal chunks of the maximum size.
        Path file = Files.write(dir.resolve("zeros"), new byte[3 * ContentReader.MAX_CHUNK_SIZE]);
        FileContent content = reader.read(file);
        assertThat(new HashSet<>(content.chunks())).hasSize(1);

        Counted progress = new Counted();
        transfer.upload(file, content, progress);

        assertThat(store.puts()).isEqualTo(1);
        assertThat(progress.transferred.get()).isEqualTo(ContentReader.MAX_CHUNK_SIZE);
        assertThat(progress.skipped.get()).isEqualTo(2L * ContentReader.MAX_CHUNK_SIZE);

        Path copy = dir.resolve("copy");
        transfer.download(content, copy, TransferProgress.NONE);
        assertThat(Files.mismatch(file, copy)).isEqualTo(-1);
    }

    @Test
    void aSixtyFourMebibyteFileRoundTripsInAHeapSmallerThanTheFile() throws Exception {
        long seed = TestData.seed();
        Path file = TestData.randomFile(dir.resolve("large"), seed, 64L * MIB + 3);
        // The temporary file may hold an earlier attempt's bytes; they must not survive.
        Path temporary = TestData.randomFile(dir.resolve(".large.part"), seed + 1, 70L * MIB);
        Path output = dir.resolve("round-trip.log");

        Process roundTrip = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + SMALL_HEAP_MIB + "m", "-cp", System.getProperty("java.class.path"),
                SmallHeapRoundTrip.class.getName(), store.endpoint().toString(), file.toString(), temporary.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!roundTrip.waitFor(5, TimeUnit.MINUTES)) {
            roundTrip.destroyForcibly();
        }

        assertThat(roundTrip.exitValue()).as(TestData.replay(seed) + "; its output:\n" + Files.readString(output))
                .isZero();
        assertThat(Files.mismatch(file, temporary)).isEqualTo(-1);
        assertThat(store.puts()).isEqualTo(reader.read(file).chunks().size());
    }

    @Test
    void aCorruptedChunkFailsTheDownloadNamingIt() throws IOException {
        long seed = TestData.seed();
        Path file = TestData.randomFile(dir.resolve("file"), seed, 12 * MIB);
        FileContent content = reader.read(file);
        transfer.upload(file, content, TransferProgress.NONE);
        String corrupted = content.chunks().get(1);
        byte[] bytes = reader.readChunk(file, content, 1);
        bytes[bytes.length / 2] ^= 1;
        store.overwrite(corrupted, bytes);

        assertThatThrownBy(() -> transfer.download(content, dir.resolve("copy"), TransferProgress.NONE))
                .as(TestData.replay(seed))
                .isInstanceOfSatisfying(ChunkTransferException.class, e -> {
                    assertThat(e.chunk()).isEqualTo(corrupted);
                    assertThat(e.reason()).isEqualTo(ChunkTransferException.Reason.CORRUPT);
                })
                .hasMessageContaining(corrupted);
    }

    @Test
    void aChunkTheStorageLacksFailsTheDownloadNamingIt() throws IOException {
        long seed = TestData.seed();
        Path file = TestData.randomFile(dir.resolve("file"), seed, 12 * MIB);
        FileContent content = reader.read(file);
        transfer.upload(file, content, TransferProgress.NONE);
        String lost = content.chunks().get(content.chunks().size() - 1);
        store.remove(lost);

        assertThatThrownBy(() -> transfer.download(content, dir.resolve("copy"), TransferProgress.NONE))
                .as(TestData.replay(seed))
                .isInstanceOfSatisfying(ChunkTransferException.class, e -> {
                    assertThat(e.chunk()).isEqualTo(lost);
                    assertThat(e.reason()).isEqualTo(ChunkTransferException.Reason.MISSING);
                })
                .hasMessageContaining(lost);
    }

    @Test
    void chunksThatMatchTheirNamesButNotTheFileFailTheDownload() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "the real content");
        FileContent content = reader.read(file);
        transfer.upload(file, content, TransferProgress.NONE);
        FileContent wrongChecksum = new FileContent("sha256:" + "0".repeat(64), content.size(), content.chunks(),
                content.chunkSizes());

        assertThatThrownBy(() -> transfer.download(wrongChecksum, dir.resolve("copy"), TransferProgress.NONE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not the version's");
    }

    @Test
    void anExpiredUrlIsReplacedWithAFreshOne() throws IOException {
        long seed = TestData.seed();
        Path file = TestData.randomFile(dir.resolve("file"), seed, 6 * MIB);
        FileContent content = reader.read(file);
        urls.forgeNext(content.chunks().size());

        transfer.upload(file, content, TransferProgress.NONE);

        assertThat(content.chunks()).as(TestData.replay(seed))
                .allSatisfy(chunk -> assertThat(store.holds(chunk)).isTrue());
        // One request for the chunks' URLs, then one fresh URL for each chunk refused.
        assertThat(urls.requestSizes()).contains(content.chunks().size())
                .filteredOn(size -> size == 1).hasSizeGreaterThanOrEqualTo(content.chunks().size());
    }

    @Test
    void aPutTheStorageKeepsRefusingFailsNamingTheChunkAndTheNextUploadResumes() throws IOException {
        long seed = TestData.seed();
        Path file = TestData.randomFile(dir.resolve("file"), seed, 12 * MIB);
        FileContent content = reader.read(file);
        String refused = content.chunks().get(1);
        urls.forgeAlways(refused);

        assertThatThrownBy(() -> transfer.upload(file, content, TransferProgress.NONE))
                .as(TestData.replay(seed))
                .isInstanceOfSatisfying(ChunkTransferException.class, e -> {
                    assertThat(e.chunk()).isEqualTo(refused);
                    assertThat(e.reason()).isEqualTo(ChunkTransferException.Reason.REFUSED);
                })
                .hasMessageContaining("403");
        assertThat(store.holds(refused)).isFalse();
        assertThat(store.holds(content.chunks().get(0))).isTrue();

        ChunkTransfer later = new ChunkTransfer(new PresignedStorageUrls(store.signer()), reader,
                ChunkTransfer.Settings.defaults(1000));
        int before = store.puts();
        try (later) {
            later.upload(file, content, TransferProgress.NONE);
        }
        assertThat(store.puts() - before).isLessThan(content.chunks().size());
        assertThat(content.chunks()).allSatisfy(chunk -> assertThat(store.holds(chunk)).isTrue());
    }

    @Test
    void aFileEditedSinceItWasReadIsNotUploaded() throws IOException {
        long seed = TestData.seed();
        Path file = TestData.randomFile(dir.resolve("file"), seed, 3 * MIB);
        FileContent content = reader.read(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), content.offsetOf(content.chunks().size() - 1));
        }

        assertThatThrownBy(() -> transfer.upload(file, content, TransferProgress.NONE))
                .as(TestData.replay(seed))
                .isInstanceOf(ContentChangedException.class);
        assertThat(store.holds(content.chunks().get(content.chunks().size() - 1))).isFalse();
    }

    @Test
    void requestsToTheServiceNameNoMoreChunksThanItsLimit() throws IOException {
        long seed = TestData.seed();
        Path file = TestData.randomFile(dir.resolve("file"), seed, 16 * MIB);
        FileContent content = reader.read(file);
        assertThat(content.chunks().size()).isGreaterThan(4);

        try (ChunkTransfer limited = transfer(2)) {
            limited.upload(file, content, TransferProgress.NONE);
            limited.download(content, dir.resolve("copy"), TransferProgress.NONE);
        }

        assertThat(urls.requestSizes()).as(TestData.replay(seed)).isNotEmpty().allSatisfy(size ->
                assertThat(size).isBetween(1, 2));
        assertThat(Files.mismatch(file, dir.resolve("copy"))).isEqualTo(-1);
    }

    @Test
    void transfersFromSeveralThreadsAtOnceEachComplete() throws Exception {
        long seed = TestData.seed();
        Path first = TestData.randomFile(dir.resolve("first"), seed, 10 * MIB);
        Path second = TestData.randomFile(dir.resolve("second"), seed + 1, 10 * MIB);
        FileContent firstContent = reader.read(first);
        FileContent secondContent = reader.read(second);
        transfer.upload(first, firstContent, TransferProgress.NONE);

        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var download = pool.submit(() -> {
                transfer.download(firstContent, dir.resolve("first.copy"), TransferProgress.NONE);
                return null;
            });
            var upload = pool.submit(() -> {
                transfer.upload(second, secondContent, TransferProgress.NONE);
                return null;
            });
            download.get();
            upload.get();
        } finally {
            pool.shutdownNow();
        }

        assertThat(Files.mismatch(first, dir.resolve("first.copy"))).as(TestData.replay(seed)).isEqualTo(-1);
        assertThat(secondContent.chunks()).allSatisfy(chunk -> assertThat(store.holds(chunk)).isTrue());
    }

    @Test
    void anEmptyFileNeedsNoStorageAndDownloadsEmpty() throws IOException {
        Path file = Files.createFile(dir.resolve("empty"));
        FileContent content = reader.read(file);
        Path temporary = Files.writeString(dir.resolve(".empty.part"), "left over");

        transfer.upload(file, content, TransferProgress.NONE);
        transfer.download(content, temporary, TransferProgress.NONE);

        assertThat(store.puts()).isZero();
        assertThat(urls.requestSizes()).isEmpty();
        assertThat(temporary).isEmptyFile();
    }

    /** Sums what a transfer reports. */
    private static final class Counted implements TransferProgress {
        final AtomicLong transferred = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();

        @Override
        public void transferred(long bytes) {
            this.transferred.addAndGet(bytes);
        }

        @Override
        public void skipped(long bytes) {
            this.skipped.addAndGet(bytes);
        }
    }

}
