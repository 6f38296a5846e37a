package org.syncservice.server.notify;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.syncservice.server.testing.RunningService;

/** The running service and its users and devices, started once for each test class that extends this. */
abstract class ServiceWithDevices {
    static RunningService service;
    static Devices devices;

    @BeforeAll
    static void startService() throws Exception {
        service = RunningService.start();
        devices = new Devices(service);
    }

    @AfterAll
    static void stopService() throws Exception {
        service.close();
    }
}
