package org.syncservice.desktop.cli;

import java.time.Duration;
import java.util.OptionalDouble;
import org.syncservice.desktop.engine.Progress;

/**
 * One line of progress for people: {@code 12/340 files, 1.2 MB of 3.4 GB, 5.3 MB/s, 10m 41s left}.
 * The rate and the time left appear once a rate is known; the time left only while the rate is
 * above zero. Stateless.
 */
final class ProgressLine {

    private ProgressLine() {
    }

    static String format(Progress progress, OptionalDouble bytesPerSecond) {
        StringBuilder line = new StringBuilder()
                .append(progress.filesDone()).append('/').append(progress.filesTotal()).append(" files, ")
                .append(ByteUnits.format(progress.bytesDone())).append(" of ")
                .append(ByteUnits.format(progress.bytesTotal()));
        if (bytesPerSecond.isPresent()) {
            double rate = bytesPerSecond.getAsDouble();
            line.append(", ").append(ByteUnits.rate(rate));
            long left = progress.bytesTotal() - progress.bytesDone();
            if (rate > 0 && left > 0) {
                line.append(", ").append(duration(Duration.ofSeconds((long) Math.ceil(left / rate)))).append(" left");
            }
        }
        return line.toString();
    }

    /** {@code 45s}, {@code 3m 07s}, {@code 2h 05m}, {@code 3d 04h}: the two largest units. */
    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm %02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return String.format("%dh %02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format("%dd %02dh", seconds / 86_400, seconds % 86_400 / 3600);
    }
}
