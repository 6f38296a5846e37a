package org.syncservice.server.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link RunningService} and a {@link SyncFixture} on it for one test class: started before its
 * first test and closed after its last. Register it on a static field with
 * {@code @RegisterExtension}. Not thread-safe while starting or closing.
 */
public final class RunningSync implements BeforeAllCallback, AfterAllCallback {
    private RunningService service;
    private SyncFixture fixture;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        service = RunningService.start();
        fixture = new SyncFixture(service);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try (RunningService started = service; SyncFixture users = fixture) {
            service = null;
            fixture = null;
        }
    }

    public RunningService service() {
        return service;
    }

    public SyncFixture fixture() {
        return fixture;
    }
}
