package org.syncservice.desktop.content;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random bytes for content tests, from a seed that a failing test prints and -Dcontent.seed replays. */
final class TestData {
    static final String SEED_PROPERTY = "content.seed";

    private TestData() {
    }

    /** The seed to use: -Dcontent.seed when set, a new one otherwise. */
    static long seed() {
        Long fixed = Long.getLong(SEED_PROPERTY);
        return fixed != null ? fixed : new Random().nextLong();
    }

    /** How a randomized assertion names its seed. */
    static String replay(long seed) {
        return "seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")";
    }

    static byte[] randomBytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes {@code size} random bytes to {@code file} a mebibyte at a time, never holding them all. */
    static Path randomFile(Path file, long seed, long size) throws IOException {
        Random random = new Random(seed);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(left, buffer.length));
            }
        }
        return file;
    }

    /** The chunk sizes FastCDC cuts {@code data} into, fed {@code step} bytes at a time. */
    static List<Integer> chunkSizes(byte[] data, int step) {
        FastCdc cutter = new FastCdc();
        List<Integer> sizes = new ArrayList<>();
        int chunkStart = 0;
        for (int from = 0; from < data.length; from += step) {
            int to = Math.min(data.length, from + step);
            int start = from;
            for (int end = cutter.cut(data, start, to); end >= 0; end = cutter.cut(data, start, to)) {
                sizes.add(end - chunkStart);
                chunkStart = end;
                start = end;
            }
        }
        if (chunkStart < data.length) {
            sizes.add(data.length - chunkStart);
        }
        return sizes;
    }

    /** The chunk names of {@code data} cut into {@code sizes}. */
    static List<String> chunkNames(byte[] data, List<Integer> sizes) {
        List<String> names = new ArrayList<>();
        int offset = 0;
        for (int size : sizes) {
            byte[] chunk = new byte[size];
            System.arraycopy(data, offset, chunk, 0, size);
            names.add(Sha256.chunkName(chunk));
            offset += size;
        }
        return names;
    }
}
