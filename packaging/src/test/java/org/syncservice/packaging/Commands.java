package org.syncservice.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command of this machine to its end and keeps what it printed (both streams together). */
final class Commands {

    /** How a command ended. */
    record Result(List<String> command, int exitCode, String output) {
        Result orFail() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    private Commands() {
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(Map.of(), null, command);
    }

    /** The command with these variables added to this JVM's environment, its standard input given. */
    static Result run(Map<String, String> environment, String input, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        try (var stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        // Read before waiting: a command that prints much would block on a full pipe.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("did not end within 300 s: " + String.join(" ", command));
        }
        return new Result(List.of(command), process.exitValue(), output);
    }
}
