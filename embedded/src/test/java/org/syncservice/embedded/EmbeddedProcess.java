package org.syncservice.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code EmbeddedMain} run as its own process, as {@code java -jar} runs it, with its output in a file. */
final class EmbeddedProcess implements AutoCloseable {
    static final String BANNER = "syncservice (embedded) is running";
    private static final Duration START_WAIT = Duration.ofMinutes(3);

    private final Process process;
    private final Path output;

    private EmbeddedProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts it on {@code data} with {@code SYNCSERVICE_EMBEDDED_AMQP_PORT} set to {@code amqpPort}. */
    static EmbeddedProcess start(Path data, int amqpPort, Path output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The jar's own logging (logback.xml, INFO), not the tests' quieter logback-test.xml: what it logs is checked.
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), EmbeddedMain.class.getName(), data.toString()));
        builder.environment().putAll(Map.of("SYNCSERVICE_EMBEDDED_AMQP_PORT", Integer.toString(amqpPort)));
        builder.redirectErrorStream(true).redirectOutput(output.toFile());
        return new EmbeddedProcess(builder.start(), output);
    }

    /** Waits for the banner; fails when the process ends first or takes too long. */
    EmbeddedProcess awaitRunning() throws Exception {
        Instant deadline = Instant.now().plus(START_WAIT);
        while (!output().contains(BANNER)) {
            if (!process.isAlive()) {
                throw new AssertionError("ended with " + process.exitValue() + " before running:\n" + output());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not running after " + START_WAIT + ":\n" + output());
            }
            Thread.sleep(200);
        }
        return this;
    }

    /** Its exit code, waiting up to a minute for it. */
    int awaitExit() throws InterruptedException, IOException {
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            throw new AssertionError("still running a minute later:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGTERM. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: the process ends at once, its child processes keep running. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.MINUTES);
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
