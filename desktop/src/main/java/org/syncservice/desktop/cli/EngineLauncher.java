package org.syncservice.desktop.cli;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.syncservice.client.SyncClient;
import org.syncservice.desktop.engine.DesktopClient;
import org.syncservice.desktop.engine.DesktopSettings;
import org.syncservice.desktop.engine.ProgressListener;

/** Starts the sync engine; the command line's seam between itself and {@link DesktopClient}. */
@FunctionalInterface
interface EngineLauncher {

    /** The real engine. */
    EngineLauncher DESKTOP_CLIENT = (settings, client, progress) -> {
        DesktopClient desktop = DesktopClient.start(settings, client, progress);
        return new Running() {
            @Override
            public void close() {
                desktop.close();
            }

            @Override
            public Optional<String> awaitEnd() throws InterruptedException {
                return desktop.awaitEnd();
            }
        };
    };

    /** Starts the engine, which runs on threads of its own until closed. */
    Running start(DesktopSettings settings, SyncClient client, ProgressListener progress);

    /** A running engine. */
    @FunctionalInterface
    interface Running {
        /** Finishes or parks what the engine is doing, then returns. */
        void close();

        /**
         * Waits until the engine ends: empty when it was closed, else why it stopped by itself.
         * This default is for engines that never stop by themselves.
         */
        default Optional<String> awaitEnd() throws InterruptedException {
            new CountDownLatch(1).await();
            return Optional.empty();
        }
    }
}
