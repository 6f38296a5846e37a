package org.syncservice.desktop.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.syncservice.desktop.engine.Progress;
import org.syncservice.desktop.engine.ProgressListener;

/**
 * Shows the engine's progress on standard output. At a terminal: one line rewritten in place
 * ({@code \r}) four times a second when it changed. Elsewhere (a log, a pipe): a plain line every
 * {@value #PLAIN_INTERVAL_SECONDS} s while a round of transfers is under way, so a short round
 * writes nothing. The engine's calls only store the latest progress; a timer thread of its own
 * prints, so the engine never waits on the output. Thread-safe.
 */
final class ProgressPrinter implements ProgressListener, AutoCloseable {

    static final long TERMINAL_INTERVAL_MS = 250;
    static final long PLAIN_INTERVAL_SECONDS = 10;
    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);
    private static final Duration RATE_MINIMUM_SPAN = Duration.ofSeconds(1);

    private final PrintStream out;
    private final boolean terminal;
    private final AtomicReference<Progress> latest = new AtomicReference<>();
    private final TransferRate rate = new TransferRate(RATE_WINDOW, RATE_MINIMUM_SPAN);
    private ScheduledExecutorService timer;
    private String shown = "";
    private long lastPlainNanos;
    private boolean roundSeen;

    ProgressPrinter(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Starts the timer thread that prints. */
    synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "progress");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() -> tick(System.nanoTime()), TERMINAL_INTERVAL_MS, TERMINAL_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void onProgress(Progress progress) {
        latest.set(progress);
    }

    /** Samples the rate and prints what is due at a moment (monotonic nanoseconds). */
    synchronized void tick(long nanos) {
        Progress progress = latest.get();
        if (progress == null) {
            return;
        }
        rate.add(nanos, progress.bytesDone());
        String line = ProgressLine.format(progress, rate.bytesPerSecond());
        if (terminal) {
            if (!line.equals(shown)) {
                // Spaces wipe what is left of a longer line shown before.
                out.print("\r" + line + " ".repeat(Math.max(0, shown.length() - line.length())));
                out.flush();
                shown = line;
            }
            return;
        }
        boolean underWay = progress.filesDone() < progress.filesTotal() || progress.bytesDone() < progress.bytesTotal();
        if (!underWay) {
            roundSeen = false;
            return;
        }
        if (!roundSeen) {
            roundSeen = true;
            lastPlainNanos = nanos;
        } else if (nanos - lastPlainNanos >= TimeUnit.SECONDS.toNanos(PLAIN_INTERVAL_SECONDS)) {
            out.println(line);
            lastPlainNanos = nanos;
        }
    }

    /** Stops printing; at a terminal, ends the progress line so later output starts on its own. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        if (terminal && !shown.isEmpty()) {
            out.println();
            shown = "";
        }
    }
}
