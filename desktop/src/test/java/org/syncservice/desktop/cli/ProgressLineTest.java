package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.syncservice.desktop.engine.Progress;

class ProgressLineTest {

    @Test
    void filesBytesRateAndTimeLeft() {
        assertThat(ProgressLine.format(new Progress(12, 340, 1_200_000, 3_400_000_000L), OptionalDouble.of(5_300_000)))
                .isEqualTo("12/340 files, 1.2 MB of 3.4 GB, 5.3 MB/s, 10m 42s left");
    }

    @Test
    void withoutARateThereIsNoTimeLeft() {
        assertThat(ProgressLine.format(new Progress(0, 3, 0, 999), OptionalDouble.empty()))
                .isEqualTo("0/3 files, 0 B of 999 B");
    }

    @Test
    void aStalledTransferShowsItsRateButNoTimeLeft() {
        assertThat(ProgressLine.format(new Progress(1, 3, 10, 20_000), OptionalDouble.of(0)))
                .isEqualTo("1/3 files, 10 B of 20.0 kB, 0.0 MB/s");
    }

    @Test
    void aFinishedRoundHasNoTimeLeft() {
        assertThat(ProgressLine.format(new Progress(3, 3, 20_000, 20_000), OptionalDouble.of(1e6)))
                .isEqualTo("3/3 files, 20.0 kB of 20.0 kB, 1.0 MB/s");
    }

    @Test
    void sizesUseDecimalUnits() {
        assertThat(ByteUnits.format(0)).isEqualTo("0 B");
        assertThat(ByteUnits.format(999)).isEqualTo("999 B");
        assertThat(ByteUnits.format(1000)).isEqualTo("1.0 kB");
        assertThat(ByteUnits.format(999_949)).isEqualTo("999.9 kB");
        assertThat(ByteUnits.format(999_999)).isEqualTo("1.0 MB");
        assertThat(ByteUnits.format(5_500_000_000_000L)).isEqualTo("5.5 TB");
        assertThat(ByteUnits.format(Long.MAX_VALUE)).isEqualTo("9.2 EB");
    }

    @Test
    void durationsShowTheirTwoLargestUnits() {
        assertThat(ProgressLine.duration(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(ProgressLine.duration(Duration.ofSeconds(187))).isEqualTo("3m 07s");
        assertThat(ProgressLine.duration(Duration.ofMinutes(125))).isEqualTo("2h 05m");
        assertThat(ProgressLine.duration(Duration.ofHours(76))).isEqualTo("3d 04h");
    }
}
