package org.syncservice.server.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The service as an operating-system process of its own ({@code org.syncservice.server.Main
 * --config FILE}), so a fault test can SIGKILL it. Runs the main classes of the build under test
 * (the test classpath without the test classes), not {@code target/syncservice.jar}: in one
 * {@code install} the jar is packaged only after the tests ran, so it would be the previous
 * build's. Output goes to a log file next to the config file.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final long READY_TIMEOUT_SECONDS = 60;

    private final Path config;
    private final Path log;
    private Process process;

    private ServiceProcess(Path config, Path log) {
        this.config = config;
        this.log = log;
    }

    /** Writes the config file (the given keys, the rest defaults) and starts the process. */
    public static ServiceProcess start(String name, Map<String, String> settings) throws IOException {
        Path directory = Files.createTempDirectory("syncservice-" + name + "-");
        Properties properties = new Properties();
        properties.putAll(settings);
        Path config = directory.resolve("config.properties");
        try (var out = Files.newOutputStream(config)) {
            properties.store(out, "fault test " + name);
        }
        ServiceProcess service = new ServiceProcess(config, directory.resolve("service.log"));
        service.start();
        return service;
    }

    /** The settings a service on this test database and broker needs. */
    public static Map<String, String> settings(String dbUrl, String dbUser, TestBroker broker) {
        return new java.util.HashMap<>(Map.of(
                "db.url", dbUrl,
                "db.user", dbUser,
                "amqp.host", TestBroker.host(),
                "amqp.port", Integer.toString(TestBroker.port()),
                "amqp.request-queue", broker.requestQueue(),
                "amqp.notification-exchange", broker.notificationExchange(),
                "auth.password-hash-iterations", "10000",
                "auth.min-password-length", "1",
                // Leftover device queues expire within minutes (see RunningService).
                "notifications.device-queue-ttl", "1m"));
    }

    /** (Re)starts the process on the same config and waits until it says it is ready. */
    public void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", JarProcess.mainClasspath(), "org.syncservice.server.Main", "--config", config.toString()));
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            String output = Files.readString(log).substring((int) logStart);
            if (output.contains(" ready: queue ")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("the service exited with " + process.exitValue() + ":\n" + output);
            }
            sleep(100);
        }
        throw new IOException("the service was not ready after " + READY_TIMEOUT_SECONDS + " s; see " + log);
    }

    /** SIGKILL: no shutdown hook, no draining; unacknowledged requests go back to the queue. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** SIGTERM and wait: the clean shutdown. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
