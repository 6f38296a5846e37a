package org.syncservice.desktop.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelTransfersTest {
    private static final List<Integer> HUNDRED = IntStream.range(0, 100).boxed().toList();

    @Test
    void theOperationsReadyToCommitComeBackInTheirOrder() throws Exception {
        List<Integer> ready = new ParallelTransfers(4).run(HUNDRED, i -> i % 3 != 0, () -> false);

        assertThat(ready).isEqualTo(HUNDRED.stream().filter(i -> i % 3 != 0).toList());
    }

    @Test
    void asManyUploadsAsAllowedRunAtOnce() throws Exception {
        CountDownLatch allFourStarted = new CountDownLatch(4);

        // Each of the first four waits for the others: one after the other, none would see them.
        List<Integer> ready = new ParallelTransfers(4).run(List.of(0, 1, 2, 3), i -> {
            allFourStarted.countDown();
            try {
                return allFourStarted.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, () -> false);

        assertThat(ready).containsExactly(0, 1, 2, 3);
    }

    @Test
    void theFirstFailureIsThrownAsItWas() {
        assertThatThrownBy(() -> new ParallelTransfers(4).run(HUNDRED, i -> {
            if (i == 7) {
                throw new IOException("chunk of 7 refused");
            }
            return true;
        }, () -> false)).isInstanceOf(IOException.class).hasMessage("chunk of 7 refused");
    }

    @Test
    void noUploadStartsOnceTheEngineIsStopping() throws Exception {
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicInteger started = new AtomicInteger();

        List<Integer> ready = new ParallelTransfers(4).run(HUNDRED, i -> {
            started.incrementAndGet();
            stopping.set(true);
            return true;
        }, stopping::get);

        assertThat(started.get()).isLessThanOrEqualTo(4);
        assertThat(ready).hasSizeLessThanOrEqualTo(4).isEqualTo(HUNDRED.subList(0, ready.size()));
    }
}
