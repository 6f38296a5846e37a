package org.syncservice.server.storage.swift;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real server started by one of the scripts/*-test-server.sh scripts on 127.0.0.1 in a
 * temporary directory of its own, stopped (its processes ended) and removed by {@link #close()}.
 * For tests.
 */
final class TestServer implements AutoCloseable {
    /** OpenStack Swift (Debian's packages, TempAuth and tempurl): SWIFT_AUTH_URL, SWIFT_USER, ... */
    static final TestServerScript SWIFT = new TestServerScript("swift-test-server.sh");
    /** OpenStack Keystone v3 (Debian's packages, under uWSGI): KEYSTONE_URL, KEYSTONE_USER, ... */
    static final TestServerScript KEYSTONE = new TestServerScript("keystone-test-server.sh");

    private final TestServerScript script;
    private final Path directory;
    private final Map<String, String> values;

    private TestServer(TestServerScript script, Path directory, Map<String, String> values) {
        this.script = script;
        this.directory = directory;
        this.values = values;
    }

    /** Starts the script's server; its KEY=VALUE lines whose key starts with {@code prefix} are its values. */
    static TestServer start(TestServerScript script, String prefix) throws IOException, InterruptedException {
        return start(script, prefix, Map.of());
    }

    /** Starts it with settings the script reads from its environment. */
    static TestServer start(TestServerScript script, String prefix, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("test-server");
        return new TestServer(script, directory, script.start(directory, prefix, environment));
    }

    /** A port of 127.0.0.1 that nothing listens on now (a server started next may take it). */
    static int freeLocalPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    String value(String key) {
        return values.get(key);
    }

    /** Stops the server, then removes its directory (configuration, data, logs, keys). */
    @Override
    public void close() throws IOException, InterruptedException {
        script.stop(directory);
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
