package org.syncservice.packaging;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service started from a package's launcher as a process of its own, with exactly the
 * environment given (nothing of this JVM's), its output in a log file; ready when it logged its
 * ready line and /health/ready answers 200.
 */
final class RunningService implements AutoCloseable {
    private static final long READY_SECONDS = 120;

    private final Process process;
    private final Path log;

    private RunningService(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static RunningService start(List<String> command, Map<String, String> environment, Path log, int httpPort)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        RunningService service = new RunningService(builder.start(), log);
        try {
            service.awaitReady(httpPort);
            return service;
        } catch (IOException | AssertionError | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private void awaitReady(int httpPort) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + output());
            }
            if (output().contains(" ready: queue ")) {
                try {
                    HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // The endpoint starts with the service; try again.
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service was not ready within " + READY_SECONDS + " s:\n" + output());
    }

    long pid() {
        return process.pid();
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, and the exit code once it stopped (a forced kill after 90 s fails the test). */
    int stop() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the service did not stop within 90 s of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
