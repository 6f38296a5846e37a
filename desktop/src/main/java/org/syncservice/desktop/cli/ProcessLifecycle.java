package org.syncservice.desktop.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * Runs a sync until the process is told to stop (SIGTERM, Ctrl-C): a shutdown hook closes the
 * engine and the client, then ends the process with exit code 0, since stopping on request is a
 * clean stop (the JVM would otherwise exit 143 or 130). It ends the process with
 * {@link Runtime#halt(int)}, the only way to choose the exit code from a shutdown hook, so no other
 * hook runs after it; none of the client's libraries needs one. Single use.
 */
final class ProcessLifecycle implements Lifecycle {

    private final PrintStream out;
    private final PrintStream err;

    ProcessLifecycle(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void runUntilStopped(Runnable stop) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.run();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(ProcessLifecycle.class).warn("stopping the sync failed", e);
                err.println("sync-folder: stopping failed: " + e.getMessage());
            }
            out.flush();
            err.flush();
            Runtime.getRuntime().halt(ExitCode.OK.code());
        }, "stop-sync"));
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // Only the shutdown hook ends a running sync.
            }
        }
    }
}
