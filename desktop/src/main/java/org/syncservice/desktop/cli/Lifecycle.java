package org.syncservice.desktop.cli;

/** How long a started sync runs: in the process, until SIGTERM or Ctrl-C; in tests, as they say. */
@FunctionalInterface
interface Lifecycle {

    /**
     * Keeps the sync running until it is to stop, then runs {@code stop} once.
     *
     * @param stop closes the engine, the progress line and the client, in that order
     */
    void runUntilStopped(Runnable stop);
}
