package org.syncservice.desktop.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class DebouncerTest {

    private static final long QUIET = 300;
    private static final long MAX_DELAY = 3_000;

    private final Debouncer debouncer = new Debouncer(QUIET, MAX_DELAY, 3);

    @Test
    void aBatchIsDueOnceTheFolderHasBeenQuietForTheQuietPeriod() {
        debouncer.changed("a", 1_000);
        debouncer.changed("b", 1_200);

        assertThat(debouncer.nanosUntilDue(1_400)).isPositive();
        assertThat(debouncer.nanosUntilDue(1_500)).isZero();
        assertThat(debouncer.drain()).isEqualTo(new Debouncer.Batch(Set.of("a", "b"), false));
        assertThat(debouncer.pending()).isFalse();
    }

    @Test
    void aConstantStreamOfChangesIsStillDueAtTheMaximumDelay() {
        long now = 0;
        for (; now < MAX_DELAY; now += QUIET / 2) {
            debouncer.changed("log.txt", now);
            assertThat(debouncer.nanosUntilDue(now)).isPositive();
        }
        debouncer.changed("log.txt", now);

        assertThat(debouncer.nanosUntilDue(now)).isLessThanOrEqualTo(0);
    }

    @Test
    void tooManyPathsTurnTheBatchIntoAnOverflow() {
        for (String path : new String[] {"a", "b", "c", "d"}) {
            debouncer.changed(path, 0);
        }

        Debouncer.Batch batch = debouncer.drain();

        assertThat(batch.overflow()).isTrue();
        assertThat(batch.paths()).isEmpty();
    }

    @Test
    void anOverflowIsCarriedUntilTheBatchIsDrained() {
        debouncer.overflowed(0);
        debouncer.changed("a", 10);

        assertThat(debouncer.drain().overflow()).isTrue();
        debouncer.changed("b", 20);
        assertThat(debouncer.drain()).isEqualTo(new Debouncer.Batch(Set.of("b"), false));
    }
}
