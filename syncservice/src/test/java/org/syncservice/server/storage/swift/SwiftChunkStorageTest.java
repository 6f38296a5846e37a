package org.syncservice.server.storage.swift;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.server.config.Secret;
import org.syncservice.server.config.StorageConfig;

/**
 * The storage contract on OpenStack Swift: a real single-node Swift from Debian's packages, with
 * TempAuth and TempURLs, started on 127.0.0.1 by scripts/swift-test-server.sh. Skipped (loudly)
 * only when the packages cannot be installed on this machine.
 */
class SwiftChunkStorageTest extends SwiftStorageContract {
    private static TestServer server;
    private static StorageConfig config;

    @BeforeAll
    static void startServer() throws Exception {
        TestServerScript.installOrSkip(TestServer.SWIFT, "the Swift storage contract (OpenStack Swift)");
        server = TestServer.start(TestServer.SWIFT, "SWIFT_");
        config = new StorageConfig(StorageConfig.Backend.SWIFT, Duration.ofMinutes(15), false, null,
                new StorageConfig.Swift(server.value("SWIFT_AUTH_URL"), StorageConfig.SwiftAuth.TEMPAUTH,
                        server.value("SWIFT_USER"), Secret.of(server.value("SWIFT_KEY")), "", "Default", "",
                        StorageConfig.SwiftInterface.PUBLIC,
                        Secret.of("temp-url-key-" + UUID.randomUUID()), "syncservice-"),
                null);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected StorageConfig config() {
        return config;
    }

    /**
     * No Swift identity is granted a workspace's container: another Swift user of the cluster can
     * neither list nor write it, and the container carries no ACL. Members use TempURLs.
     */
    @Test
    void aWorkspacesContainerGrantsNoOtherSwiftIdentityAnything() throws Exception {
        storage.provision(location);
        SwiftSession otherSession = new TempAuthLogin(HTTP, URI.create(server.value("SWIFT_AUTH_URL")), server.value("SWIFT_USER2"),
                server.value("SWIFT_KEY2"), Duration.ofSeconds(10)).login();
        SwiftSession ownerSession = new TempAuthLogin(HTTP, URI.create(server.value("SWIFT_AUTH_URL")), server.value("SWIFT_USER"),
                server.value("SWIFT_KEY"), Duration.ofSeconds(10)).login();
        URI container = URI.create(ownerSession.storageUrl() + "/" + location.container());

        assertThat(listAs(otherSession, container)).isEqualTo(403);
        assertThat(putAs(otherSession, URI.create(container + "/" + chunkName()))).isEqualTo(403);
        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(container)
                .header("X-Auth-Token", ownerSession.token())
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.headers().firstValue("X-Container-Read")).isEmpty();
        assertThat(head.headers().firstValue("X-Container-Write")).isEmpty();
    }

    @Test
    void anExpiredTokenIsReplacedByLoggingInAgain() throws Exception {
        SwiftChunkStorage swift = (SwiftChunkStorage) storage;
        swift.replaceTokenForTest("expired-or-forged-token");

        storage.provision(location);

        assertThat(storage.missingChunks(location, java.util.List.of(chunkName()))).hasSize(1);
    }

    private static int listAs(SwiftSession session, URI container) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(container).header("X-Auth-Token", session.token()).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int putAs(SwiftSession session, URI object) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(object).header("X-Auth-Token", session.token())
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
