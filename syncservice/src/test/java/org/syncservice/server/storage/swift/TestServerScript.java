package org.syncservice.server.storage.swift;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the scripts/*-test-server.sh scripts (install, start DIR, stop DIR): runs it and reads
 * the KEY=VALUE lines its start prints. For tests.
 */
final class TestServerScript {
    private final Path script;

    TestServerScript(String name) {
        String root = System.getProperty("syncservice.projectRoot", "..");
        this.script = Path.of(root, "scripts", name).toAbsolutePath().normalize();
    }

    record Result(int exitCode, String output) {
    }

    Path path() {
        return script;
    }

    Result run(long timeoutSeconds, String... arguments) throws IOException, InterruptedException {
        return run(Map.of(), timeoutSeconds, arguments);
    }

    /** Runs the script with {@code environment} added to this JVM's (how the scripts take passwords). */
    Result run(Map<String, String> environment, long timeoutSeconds, String... arguments)
            throws IOException, InterruptedException {
        String[] command = new String[arguments.length + 1];
        command[0] = script.toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Path log = Files.createTempFile("test-server", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out after " + timeoutSeconds + "s");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(process.exitValue(), output);
    }

    /** Starts the server in {@code directory}; the KEY=VALUE lines whose key starts with {@code prefix}. */
    Map<String, String> start(Path directory, String prefix, Map<String, String> environment)
            throws IOException, InterruptedException {
        Result started = run(environment, 240, "start", directory.toString());
        if (started.exitCode() != 0) {
            run(60, "stop", directory.toString());
            throw new IOException("cannot start " + script.getFileName() + ": " + started.output());
        }
        Map<String, String> values = new HashMap<>();
        for (String line : started.output().split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith(prefix) && eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    void stop(Path directory) throws IOException, InterruptedException {
        run(60, "stop", directory.toString());
    }

    /** Aborts the calling test class, loudly, when the script cannot install its server here. */
    static void installOrSkip(TestServerScript script, String what) throws IOException, InterruptedException {
        Result installed = script.run(900, "install");
        if (installed.exitCode() != 0) {
            String message = "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
                    + "!!! SKIPPING " + what + ": it cannot be installed here\n"
                    + "!!! (" + script.path() + " install): " + installed.output().strip() + "\n"
                    + "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!";
            System.err.println(message);
            org.junit.jupiter.api.Assumptions.abort(message);
        }
    }
}
