package org.syncservice.desktop.cli;

import java.nio.file.Path;
import java.util.Map;
import org.syncservice.embedded.EmbeddedSyncService;

/** The whole service in its embedded mode, with its demo account, for the command tests. */
final class EmbeddedDemoService implements AutoCloseable {
    static final String PASSWORD = "desktop-secret";

    private final EmbeddedSyncService service;
    private final String server;

    private EmbeddedDemoService(EmbeddedSyncService service) {
        this.service = service;
        this.server = "amqp://127.0.0.1:" + service.amqpPort();
    }

    /** Starts one whose data lives in {@code data}. */
    static EmbeddedDemoService start(Path data) throws Exception {
        EmbeddedSyncService service = new EmbeddedSyncService(new EmbeddedSyncService.Settings(data, 0, PASSWORD,
                Map.of("auth.password-hash-iterations", "10000",
                        // The broker password the desktop client sends by default, for the embedded broker too.
                        "amqp.password", "guest")));
        service.start();
        return new EmbeddedDemoService(service);
    }

    /** Its broker's URL, as --server takes it. */
    String server() {
        return server;
    }

    @Override
    public void close() {
        service.close();
    }
}
