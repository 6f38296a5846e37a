package org.syncservice.desktop.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a local file's content: its SHA-256, its content-defined chunks (FastCDC: at least 512 KiB,
 * 2 MiB on average, at most 8 MiB; a smaller file is one chunk, an empty one has none) and each
 * chunk's SHA-256, in one pass through a fixed buffer, so a file of any size takes the same memory.
 * Every client cuts the same bytes into the same chunks.
 *
 * <p>Thread-safe: it holds no state; each call has its own buffer.
 */
public final class ContentReader {
    /** The largest chunk this reader makes. */
    public static final int MAX_CHUNK_SIZE = FastCdc.MAX_SIZE;

    private static final int BUFFER_SIZE = 256 * 1024;

    /**
     * Reads {@code file} once, start to end.
     *
     * @throws ContentChangedException when its size or modification time changed during the read
     */
    public FileContent read(Path file) throws IOException {
        BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
        // Until the first cut the whole file's digest has seen exactly the first chunk's bytes, so
        // it is that digest, copied at the cut: a file of one chunk (most files) is hashed once.
        MessageDigest whole = null;
        MessageDigest chunk = Sha256.digest();
        FastCdc cutter = new FastCdc();
        List<String> names = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        byte[] buffer = new byte[BUFFER_SIZE];
        long total = 0;
        long chunkStart = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                if (whole != null) {
                    whole.update(buffer, 0, read);
                }
                total += read;
                int start = 0;
                while (start < read) {
                    int end = cutter.cut(buffer, start, read);
                    chunk.update(buffer, start, (end < 0 ? read : end) - start);
                    if (end < 0) {
                        break;
                    }
                    if (whole == null) {
                        whole = Sha256.copy(chunk);
                        whole.update(buffer, end, read - end);
                    }
                    long chunkEnd = total - read + end;
                    names.add(Sha256.hex(chunk));
                    sizes.add(chunkEnd - chunkStart);
                    chunkStart = chunkEnd;
                    start = end;
                }
            }
        }
        String checksum;
        if (whole == null) {
            String only = Sha256.hex(chunk);
            if (total > 0) {
                names.add(only);
                sizes.add(total);
            }
            checksum = Sha256.CHECKSUM_PREFIX + only;
        } else {
            if (total > chunkStart) {
                names.add(Sha256.hex(chunk));
                sizes.add(total - chunkStart);
            }
            checksum = Sha256.checksum(whole);
        }
        BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
        if (total != before.size() || after.size() != before.size()
                || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
            throw new ContentChangedException(file, "read " + total + " bytes of a file of " + before.size()
                    + " bytes, now " + after.size() + " bytes modified at " + after.lastModifiedTime());
        }
        return new FileContent(checksum, total, names, sizes);
    }

    /**
     * Reads chunk {@code index} of {@code content} from {@code file} again, to upload it.
     *
     * @throws ContentChangedException when the bytes there are no longer that chunk's
     */
    public byte[] readChunk(Path file, FileContent content, int index) throws IOException {
        Objects.checkIndex(index, content.chunks().size());
        long offset = content.offsetOf(index);
        byte[] bytes = new byte[Math.toIntExact(content.chunkSizes().get(index))];
        ByteBuffer target = ByteBuffer.wrap(bytes);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (target.hasRemaining()) {
                if (channel.read(target, offset + target.position()) < 0) {
                    throw new ContentChangedException(file, "it ends before the end of chunk " + index
                            + " at byte " + (offset + bytes.length));
                }
            }
        }
        String expected = content.chunks().get(index);
        if (!Sha256.chunkName(bytes).equals(expected)) {
            throw new ContentChangedException(file, "chunk " + index + " at byte " + offset
                    + " no longer has SHA-256 " + expected);
        }
        return bytes;
    }
}
