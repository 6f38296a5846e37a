package org.syncservice.desktop.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * Runs a sync until the process is told to stop (SIGTERM, Ctrl-C): a shutdown hook closes the
 * engine and the client, then ends the process with exit code 0, since stopping on request is a
 * clean stop (the JVM would otherwise exit 143 or 130). It ends the process with
 * {@link Runtime#halt(int)}, the only way to choose the exit code from a shutdown hook, so no other
 * hook runs after it; none of the client's libraries needs one. A process that ends on its own
 * ({@link #exit(int)}, a failure) keeps its code. Single use; thread-safe.
 */
final class ProcessLifecycle implements Lifecycle {

    private final PrintStream out;
    private final PrintStream err;
    /** The code the process ends with on its own, if it does; a stop request sets none. */
    private volatile Integer exitCode;

    ProcessLifecycle(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void onStop(Runnable stop) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.run();
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(ProcessLifecycle.class).warn("stopping the sync failed", e);
                err.println("sync-folder: stopping failed: " + e.getMessage());
            }
            out.flush();
            err.flush();
            if (exitCode == null) {
                Runtime.getRuntime().halt(ExitCode.OK.code());
            }
        }, "stop-sync"));
    }

    /** Never returns: the shutdown hook ends the process. */
    @Override
    public void awaitStop() {
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // Only the shutdown hook ends a running sync.
            }
        }
    }

    /** Says why in one line and ends the process with exit code 1; the stop hook closes what runs. */
    @Override
    public void engineStopped(String why) {
        err.println("sync-folder: the sync stopped: " + why);
        exit(ExitCode.FAILURE.code());
    }

    /**
     * Ends the process with a code of its own (a failure before the sync ran): the stop hook, when
     * registered, still closes what runs, but leaves this code standing.
     */
    void exit(int code) {
        exitCode = code;
        System.exit(code);
    }
}
