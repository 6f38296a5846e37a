package org.syncservice.desktop.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentReaderTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private final ContentReader reader = new ContentReader();

    @Test
    void anEmptyFileHasNoChunks() throws IOException {
        Path file = Files.createFile(dir.resolve("empty"));

        FileContent content = reader.read(file);

        assertThat(content.size()).isZero();
        assertThat(content.chunks()).isEmpty();
        assertThat(content.chunkSizes()).isEmpty();
        assertThat(content.checksum())
                .isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void aFileOfExactlyTheMinimumSizeIsOneChunk() throws IOException {
        long seed = TestData.seed();
        byte[] bytes = TestData.randomBytes(seed, FastCdc.MIN_SIZE);
        Path file = Files.write(dir.resolve("minimum"), bytes);

        FileContent content = reader.read(file);

        assertThat(content.chunks()).as(TestData.replay(seed)).containsExactly(Sha256.chunkName(bytes));
        assertThat(content.chunkSizes()).containsExactly((long) FastCdc.MIN_SIZE);
        assertThat(content.checksum()).isEqualTo("sha256:" + Sha256.chunkName(bytes));
    }

    @Test
    void aFileSmallerThanTheMinimumIsOneChunk() throws IOException {
        Path file = Files.writeString(dir.resolve("small"), "hello");

        FileContent content = reader.read(file);

        assertThat(content.chunks()).containsExactly(
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(content.chunkSizes()).containsExactly(5L);
        assertThat(content.size()).isEqualTo(5);
    }

    @Test
    void aLargeFileIsCutAsTheChunkerCutsItsBytesAndNamedByTheirHashes() throws IOException {
        long seed = TestData.seed();
        byte[] bytes = TestData.randomBytes(seed, 21 * MIB + 7);
        Path file = Files.write(dir.resolve("large"), bytes);

        FileContent content = reader.read(file);

        List<Integer> expectedSizes = TestData.chunkSizes(bytes, bytes.length);
        assertThat(content.chunkSizes()).as(TestData.replay(seed))
                .containsExactlyElementsOf(expectedSizes.stream().map(Integer::longValue).toList());
        assertThat(content.chunks()).containsExactlyElementsOf(TestData.chunkNames(bytes, expectedSizes));
        assertThat(content.size()).isEqualTo(bytes.length);
        assertThat(content.checksum()).isEqualTo("sha256:" + Sha256.chunkName(bytes));
        assertThat(content.chunks().size()).isGreaterThan(3);
    }

    @Test
    void aChunkIsReadAgainAsItWas() throws IOException {
        long seed = TestData.seed();
        byte[] bytes = TestData.randomBytes(seed, 9 * MIB);
        Path file = Files.write(dir.resolve("file"), bytes);
        FileContent content = reader.read(file);

        for (int i = 0; i < content.chunks().size(); i++) {
            byte[] chunk = reader.readChunk(file, content, i);
            assertThat(chunk).as(TestData.replay(seed)).hasSize(Math.toIntExact(content.chunkSizes().get(i)));
            assertThat(Sha256.chunkName(chunk)).isEqualTo(content.chunks().get(i));
            assertThat(ByteBuffer.wrap(chunk))
                    .isEqualTo(ByteBuffer.wrap(bytes, (int) content.offsetOf(i), chunk.length));
        }
    }

    @Test
    void readingAChunkOfAFileEditedSinceFailsNamingTheFile() throws IOException {
        long seed = TestData.seed();
        Path file = Files.write(dir.resolve("edited"), TestData.randomBytes(seed, 9 * MIB));
        FileContent content = reader.read(file);
        int second = 1;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {42, 43}), content.offsetOf(second) + 10);
        }

        assertThat(reader.readChunk(file, content, 0)).isNotEmpty();
        assertThatThrownBy(() -> reader.readChunk(file, content, second))
                .isInstanceOf(ContentChangedException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("chunk " + second);
    }

    @Test
    void readingAChunkOfAFileTruncatedSinceFails() throws IOException {
        long seed = TestData.seed();
        Path file = Files.write(dir.resolve("truncated"), TestData.randomBytes(seed, 9 * MIB));
        FileContent content = reader.read(file);
        int last = content.chunks().size() - 1;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(content.size() - 1);
        }

        assertThatThrownBy(() -> reader.readChunk(file, content, last))
                .isInstanceOf(ContentChangedException.class)
                .hasMessageContaining("ends before the end of chunk " + last);
    }
}
