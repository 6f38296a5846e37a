package org.syncservice.desktop.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastCdcTest {
    private static final int MIB = 1 << 20;

    @Test
    void theGearTableIsTheOneGeneratedFromTheDocumentedSeed() {
        // Pinned: another table would cut every file differently from every other client.
        assertThat(FastCdc.GEAR_SEED).isEqualTo(0x53594E4343444331L);
        assertThat(FastCdc.gear(0)).isEqualTo(PINNED_GEAR_0);
        assertThat(FastCdc.gear(255)).isEqualTo(PINNED_GEAR_255);
        assertThat(FastCdc.gearTable(FastCdc.GEAR_SEED)).doesNotHaveDuplicates();
    }

    @Test
    void knownBytesAreCutWhereTheyAlwaysWere() {
        // java.util.Random's sequence is fixed by its specification, so these bytes never change.
        byte[] data = TestData.randomBytes(20261203L, 24 * MIB);

        assertThat(TestData.chunkSizes(data, data.length)).containsExactlyElementsOf(PINNED_SIZES);
    }

    @Test
    void theSameBytesAreCutTheSameWayHoweverTheyArriveInBuffers() {
        long seed = TestData.seed();
        byte[] data = TestData.randomBytes(seed, 20 * MIB);
        List<Integer> whole = TestData.chunkSizes(data, data.length);

        for (int step : new int[] {1 << 12, 65_537, 1 << 20, 3 * MIB + 1}) {
            assertThat(TestData.chunkSizes(data, step)).as(TestData.replay(seed) + ", step " + step)
                    .containsExactlyElementsOf(whole);
        }
    }

    @Test
    void anInsertionInTheMiddleChangesOnlyTheChunksAroundIt() {
        long seed = TestData.seed();
        byte[] original = TestData.randomBytes(seed, 40 * MIB);
        byte[] edited = new byte[original.length + 5];
        int at = original.length / 2;
        System.arraycopy(original, 0, edited, 0, at);
        System.arraycopy("hello".getBytes(), 0, edited, at, 5);
        System.arraycopy(original, at, edited, at + 5, original.length - at);

        List<String> before = TestData.chunkNames(original, TestData.chunkSizes(original, original.length));
        List<String> after = TestData.chunkNames(edited, TestData.chunkSizes(edited, edited.length));
        List<String> created = new ArrayList<>(after);
        created.removeAll(new HashSet<>(before));

        // The chunk holding the insertion changes, and at most the one after it before the cuts agree again.
        assertThat(created).as(TestData.replay(seed)).hasSizeBetween(1, 2);
        assertThat(after.size() - created.size()).as(TestData.replay(seed)).isGreaterThanOrEqualTo(before.size() - 2);
    }

    @Test
    void chunksAreNeverSmallerThanTheMinimumNorLargerThanTheMaximumButTheLast() {
        long seed = TestData.seed();
        byte[] data = TestData.randomBytes(seed, 64 * MIB + 12_345);

        List<Integer> sizes = TestData.chunkSizes(data, 1 << 16);

        assertThat(sizes.subList(0, sizes.size() - 1)).as(TestData.replay(seed))
                .allSatisfy(size -> assertThat(size).isBetween(FastCdc.MIN_SIZE + 1, FastCdc.MAX_SIZE));
        assertThat(sizes.get(sizes.size() - 1)).as(TestData.replay(seed)).isBetween(1, FastCdc.MAX_SIZE);
        assertThat(sizes.stream().mapToLong(Integer::longValue).sum()).isEqualTo(data.length);
    }

    @Test
    void bytesThatNeverMatchAreCutAtTheMaximum() {
        byte[] zeros = new byte[3 * FastCdc.MAX_SIZE + 100];

        assertThat(TestData.chunkSizes(zeros, 1 << 20))
                .containsExactly(FastCdc.MAX_SIZE, FastCdc.MAX_SIZE, FastCdc.MAX_SIZE, 100);
    }

    @Test
    void theAverageChunkOfRandomBytesIsNearTheTarget() {
        long seed = TestData.seed();
        SplittableRandom random = new SplittableRandom(seed);
        FastCdc cutter = new FastCdc();
        byte[] buffer = new byte[MIB];
        long chunks = 0;
        long bytes = 0;
        long inChunk = 0;
        // 100 chunks' worth, streamed: the test holds one buffer.
        while (chunks < 100) {
            for (int i = 0; i < buffer.length; i += 8) {
                long value = random.nextLong();
                for (int b = 0; b < 8; b++) {
                    buffer[i + b] = (byte) (value >>> (8 * b));
                }
            }
            int start = 0;
            for (int end = cutter.cut(buffer, start, buffer.length); end >= 0; end = cutter.cut(buffer, start, buffer.length)) {
                inChunk += end - start;
                bytes += inChunk;
                chunks++;
                inChunk = 0;
                start = end;
            }
            inChunk += buffer.length - start;
        }

        // Skipping the minimum and switching masks at the average puts the mean a little above it:
        // 0.5 + 8 (1 - e^(-1.5/8)) + e^(-1.5/8) 0.5 = 2.28 MiB.
        double average = (double) bytes / chunks;
        assertThat(average).as(TestData.replay(seed) + ": average " + average)
                .isBetween(0.9 * FastCdc.AVERAGE_SIZE, 1.3 * FastCdc.AVERAGE_SIZE);
    }

    private static final long PINNED_GEAR_0 = 5570014373498374259L;
    private static final long PINNED_GEAR_255 = 5862428404880646552L;
    private static final List<Integer> PINNED_SIZES = List.of(1977943, 2290061, 2632199, 2522666, 3256085,
            3419621, 2680835, 2143161, 2495368, 1747885);
}
