package org.syncservice.desktop.cli;

/** How long a started sync runs: in the process, until SIGTERM or Ctrl-C; in tests, as they say. */
interface Lifecycle {

    /**
     * Arranges for {@code stop} to run once when the sync is to stop. Called before the engine
     * starts, so that a stop requested while it starts is not lost.
     *
     * @param stop closes the engine, the progress line and the client, in that order
     */
    void onStop(Runnable stop);

    /** Keeps the sync running until it is to stop and {@code stop} has run. */
    void awaitStop();

    /** The engine stopped by itself, for the reason given: the sync ends as a failure. */
    void engineStopped(String why);
}
