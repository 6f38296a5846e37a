package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransferRateTest {
    private static final long SECOND = 1_000_000_000L;

    private final TransferRate rate = new TransferRate(Duration.ofSeconds(10), Duration.ofSeconds(1));

    @Test
    void noRateUntilTheSamplesSpanTheMinimum() {
        rate.add(0, 0);
        assertThat(rate.bytesPerSecond()).isEmpty();
        rate.add(SECOND / 2, 500);
        assertThat(rate.bytesPerSecond()).isEmpty();
        rate.add(SECOND, 1000);
        assertThat(rate.bytesPerSecond()).hasValue(1000);
    }

    @Test
    void theRateFollowsTheRecentWindowNotTheWholeRound() {
        // 100 bytes/s for a minute, then 1000 bytes/s for 20 s.
        long bytes = 0;
        for (int s = 0; s <= 60; s++) {
            rate.add(s * SECOND, bytes);
            bytes += 100;
        }
        bytes -= 100;
        for (int s = 61; s <= 80; s++) {
            bytes += 1000;
            rate.add(s * SECOND, bytes);
        }
        assertThat(rate.bytesPerSecond()).hasValue(1000);
    }

    @Test
    void fewerBytesThanBeforeStartANewRound() {
        rate.add(0, 0);
        rate.add(SECOND, 5000);
        rate.add(2 * SECOND, 10);
        assertThat(rate.bytesPerSecond()).isEmpty();
        rate.add(3 * SECOND, 210);
        assertThat(rate.bytesPerSecond()).hasValue(200);
    }
}
