package org.syncservice.desktop.cli;

import org.syncservice.client.SyncClient;
import org.syncservice.desktop.engine.DesktopClient;
import org.syncservice.desktop.engine.DesktopSettings;
import org.syncservice.desktop.engine.ProgressListener;

/** Starts the sync engine; the command line's seam between itself and {@link DesktopClient}. */
@FunctionalInterface
interface EngineLauncher {

    /** The real engine. */
    EngineLauncher DESKTOP_CLIENT = (settings, client, progress) -> DesktopClient.start(settings, client, progress)::close;

    /** Starts the engine, which runs on threads of its own until closed. */
    Running start(DesktopSettings settings, SyncClient client, ProgressListener progress);

    /** A running engine. */
    @FunctionalInterface
    interface Running {
        /** Finishes or parks what the engine is doing, then returns. */
        void close();
    }
}
