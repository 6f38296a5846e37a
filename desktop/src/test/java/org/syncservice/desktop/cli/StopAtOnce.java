package org.syncservice.desktop.cli;

import java.util.ArrayList;
import java.util.List;

/** A {@link Lifecycle} for tests: a started sync stops as soon as it runs. */
final class StopAtOnce implements Lifecycle {
    private final List<Runnable> stops = new ArrayList<>();

    @Override
    public void onStop(Runnable stop) {
        stops.add(stop);
    }

    @Override
    public void awaitStop() {
        stops.forEach(Runnable::run);
    }

    @Override
    public void engineStopped(String why) {
        stopped = why;
    }

    /** Why the engine stopped by itself, if it did. */
    String stopped;

    /** Runs the stop again, as a late signal would. */
    void stopAgain() {
        stops.forEach(Runnable::run);
    }
}
