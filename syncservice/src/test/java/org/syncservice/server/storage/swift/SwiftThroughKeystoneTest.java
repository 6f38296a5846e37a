package org.syncservice.server.storage.swift;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.syncservice.server.config.Secret;
import org.syncservice.server.config.StorageConfig;

/**
 * The storage contract on Swift through Keystone, the way a production cluster runs: a real
 * Keystone (scripts/keystone-test-server.sh) whose catalog names the object-store endpoint of a
 * real Swift (scripts/swift-test-server.sh) that validates tokens with keystonemiddleware's
 * authtoken and maps roles with keystoneauth. The service logs in with keystone-v3, finds the
 * account in the catalog and sets the TempURL key on it. Skipped (loudly) only when Swift or
 * Keystone cannot be installed on this machine.
 */
class SwiftThroughKeystoneTest extends SwiftStorageContract {
    private static TestServer keystone;
    private static TestServer swift;
    private static StorageConfig config;

    @BeforeAll
    static void startServers() throws Exception {
        TestServerScript.installOrSkip(TestServer.SWIFT, "the Swift-through-Keystone storage contract (Swift)");
        TestServerScript.installOrSkip(TestServer.KEYSTONE, "the Swift-through-Keystone storage contract (Keystone)");
        // Keystone's catalog is written before Swift starts, so the proxy's port is chosen first.
        int proxyPort = TestServer.freeLocalPort();
        keystone = TestServer.start(TestServer.KEYSTONE, "KEYSTONE_",
                Map.of("KEYSTONE_OBJECT_STORE_URL", "http://127.0.0.1:" + proxyPort));
        swift = TestServer.start(TestServer.SWIFT, "SWIFT_", Map.of(
                "SWIFT_PROXY_PORT", Integer.toString(proxyPort),
                "SWIFT_KEYSTONE_URL", keystone.value("KEYSTONE_URL"),
                "SWIFT_KEYSTONE_SERVICE_USER", keystone.value("KEYSTONE_SERVICE_USER"),
                "SWIFT_KEYSTONE_SERVICE_PASSWORD", keystone.value("KEYSTONE_SERVICE_PASSWORD"),
                "SWIFT_KEYSTONE_USER", keystone.value("KEYSTONE_USER"),
                "SWIFT_KEYSTONE_PASSWORD", keystone.value("KEYSTONE_PASSWORD"),
                "SWIFT_KEYSTONE_PROJECT_ID", keystone.value("KEYSTONE_PROJECT_ID")));
        config = new StorageConfig(StorageConfig.Backend.SWIFT, Duration.ofMinutes(15), false, null,
                new StorageConfig.Swift(keystone.value("KEYSTONE_URL"), StorageConfig.SwiftAuth.KEYSTONE_V3,
                        keystone.value("KEYSTONE_USER"), Secret.of(keystone.value("KEYSTONE_PASSWORD")),
                        keystone.value("KEYSTONE_PROJECT"), keystone.value("KEYSTONE_DOMAIN"), "RegionOne",
                        StorageConfig.SwiftInterface.PUBLIC, Secret.of("temp-url-key-" + UUID.randomUUID()),
                        "syncservice-"),
                null);
    }

    @AfterAll
    static void stopServers() throws Exception {
        try {
            if (swift != null) {
                swift.close();
            }
        } finally {
            if (keystone != null) {
                keystone.close();
            }
        }
    }

    @Override
    protected StorageConfig config() {
        return config;
    }
}
