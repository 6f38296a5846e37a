package org.syncservice.desktop.engine;

import org.syncservice.client.SyncClient;

/**
 * PLACEHOLDER ENGINE, TO BE REPLACED by the real sync engine: it only has the agreed signature so
 * that the command line compiles. It syncs nothing.
 */
public final class DesktopClient {

    private DesktopClient() {
    }

    /** Placeholder: starts nothing. */
    public static DesktopClient start(DesktopSettings settings, SyncClient client, ProgressListener progress) {
        return new DesktopClient();
    }

    /** Placeholder: nothing to finish. */
    public void close() {
    }
}
