package org.syncservice.server.storage.swift;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenStack Swift (Debian's packages, TempAuth and tempurl) on 127.0.0.1, started and
 * stopped with scripts/swift-test-server.sh. For tests.
 */
final class TestSwiftServer implements AutoCloseable {
    private final Path script;
    private final Path directory;
    private final Map<String, String> values;

    private TestSwiftServer(Path script, Path directory, Map<String, String> values) {
        this.script = script;
        this.directory = directory;
        this.values = values;
    }

    static Path script() {
        String root = System.getProperty("syncservice.projectRoot", "..");
        return Path.of(root, "scripts", "swift-test-server.sh").toAbsolutePath().normalize();
    }

    /** Installs Swift if missing; false (with the script's output) when that is not possible here. */
    static Result install() throws IOException, InterruptedException {
        return run(script(), 900, "install");
    }

    static TestSwiftServer start() throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("swift-test");
        Result started = run(script(), 180, "start", directory.toString());
        if (started.exitCode() != 0) {
            run(script(), 60, "stop", directory.toString());
            throw new IOException("cannot start Swift: " + started.output());
        }
        Map<String, String> values = new HashMap<>();
        for (String line : started.output().split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith("SWIFT_") && eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return new TestSwiftServer(script(), directory, values);
    }

    String authUrl() {
        return values.get("SWIFT_AUTH_URL");
    }

    String value(String key) {
        return values.get(key);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(script, 60, "stop", directory.toString());
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(Path script, long timeoutSeconds, String... arguments)
            throws IOException, InterruptedException {
        String[] command = new String[arguments.length + 1];
        command[0] = script.toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Path log = Files.createTempFile("swift-test-server", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out after " + timeoutSeconds + "s");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(process.exitValue(), output);
    }
}
