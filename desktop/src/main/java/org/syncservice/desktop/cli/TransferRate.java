package org.syncservice.desktop.cli;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;

/**
 * The transfer rate over a sliding window of recent samples of "bytes done so far", so that the
 * rate follows the network instead of averaging the whole round. A sample with fewer bytes than
 * the last starts a new round. Pure (the caller passes the time); not thread-safe.
 */
final class TransferRate {

    private record Sample(long nanos, long bytes) {
    }

    private final long windowNanos;
    private final long minimumSpanNanos;
    private final Deque<Sample> samples = new ArrayDeque<>();

    /**
     * @param window how far back samples count
     * @param minimumSpan how much time the samples must span before a rate is told (a rate over a
     *     few milliseconds is noise)
     */
    TransferRate(Duration window, Duration minimumSpan) {
        this.windowNanos = window.toNanos();
        this.minimumSpanNanos = minimumSpan.toNanos();
    }

    /** Records the bytes done at a moment (monotonic nanoseconds). */
    void add(long nanos, long bytesDone) {
        if (!samples.isEmpty() && bytesDone < samples.peekLast().bytes()) {
            samples.clear();
        }
        samples.addLast(new Sample(nanos, bytesDone));
        // Keep one sample at or beyond the window's start, so the window is always fully spanned.
        while (samples.size() > 2 && nanos - secondOldest().nanos() >= windowNanos) {
            samples.removeFirst();
        }
    }

    /** Bytes per second over the window, when the samples span enough time. */
    OptionalDouble bytesPerSecond() {
        if (samples.size() < 2) {
            return OptionalDouble.empty();
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long span = last.nanos() - first.nanos();
        if (span < minimumSpanNanos) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((last.bytes() - first.bytes()) * 1e9 / span);
    }

    private Sample secondOldest() {
        var iterator = samples.iterator();
        iterator.next();
        return iterator.next();
    }
}
