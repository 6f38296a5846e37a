package org.syncservice.desktop.local;

import java.time.Duration;
import java.util.Objects;

/**
 * When a {@link FolderWatcher} speaks. Immutable.
 *
 * @param quietPeriod how long the folder must be without events before the watcher reports: a
 *     file being written, or a folder being unpacked, makes a burst of events that becomes one report
 * @param maxDelay the longest an event waits to be reported, so a file written to without pause
 *     (a log, a download) is still reported every so often
 * @param rescanInterval how often the watcher asks for a full scan even without events, as a
 *     safety net against events the operating system lost or never sent (network file systems)
 */
public record WatchTiming(Duration quietPeriod, Duration maxDelay, Duration rescanInterval) {

    public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMillis(300);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(3);
    public static final Duration DEFAULT_RESCAN_INTERVAL = Duration.ofMinutes(5);

    public WatchTiming {
        requirePositive(quietPeriod, "quietPeriod");
        requirePositive(maxDelay, "maxDelay");
        requirePositive(rescanInterval, "rescanInterval");
        if (maxDelay.compareTo(quietPeriod) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than quietPeriod " + quietPeriod);
        }
    }

    /** 300 ms of quiet, at most 3 s of delay, a full scan every 5 minutes. */
    public static WatchTiming defaults() {
        return new WatchTiming(DEFAULT_QUIET_PERIOD, DEFAULT_MAX_DELAY, DEFAULT_RESCAN_INTERVAL);
    }

    /** These timings with another quiet period; the maximum delay grows to it if shorter. */
    public WatchTiming withQuietPeriod(Duration quiet) {
        return new WatchTiming(quiet, maxDelay.compareTo(quiet) < 0 ? quiet : maxDelay, rescanInterval);
    }

    /** These timings with another rescan interval. */
    public WatchTiming withRescanInterval(Duration interval) {
        return new WatchTiming(quietPeriod, maxDelay, interval);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }
}
