package org.syncservice.desktop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The desktop client's command line ({@code DesktopMain}) run as separate JVMs with a small heap,
 * as a person runs it: its standard output and error go to files, the password comes from the
 * environment. Whatever it started and is still running when it is closed is killed, so a failing
 * test leaves no process behind. Used by one test thread.
 */
final class ClientProcesses implements AutoCloseable {
    /** The heap every client process gets: a large file must sync within it. */
    static final String HEAP = "-Xmx128m";
    private static final long STATUS_WAIT_SECONDS = 60;

    private final Path logs;
    private final List<Client> started = new ArrayList<>();

    ClientProcesses(Path logs) {
        this.logs = logs;
    }

    /** A running {@code sync} process, with where its output goes. */
    static final class Client {
        final String name;
        final Process process;
        final Path out;
        final Path err;
        final Path state;

        private Client(String name, Process process, Path out, Path err, Path state) {
            this.name = name;
            this.process = process;
            this.out = out;
            this.err = err;
            this.state = state;
        }

        /** Its output and log so far, for a failure's message. */
        String output() {
            return "--- " + name + " stdout\n" + read(out) + "--- " + name + " stderr\n" + read(err)
                    + "--- " + name + " client.log\n" + read(state.resolve("client.log"));
        }

        /** SIGKILL, then waits until the process is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /**
     * Starts {@code sync} of {@code folder} as device {@code deviceName}; the first run logs in with
     * the world's password, later runs reuse the stored credential.
     */
    Client sync(SyncWorld world, String email, String deviceName, Path state, Path folder) throws IOException {
        String run = deviceName + "-" + (started.size() + 1);
        Path out = logs.resolve(run + ".out");
        Path err = logs.resolve(run + ".err");
        ProcessBuilder builder = builder("sync", "--server", world.brokerUrl(), "--email", email,
                "--state", state.toString(), "--device-name", deviceName, folder.toString());
        builder.environment().put("SYNCSERVICE_PASSWORD", SyncWorld.PASSWORD);
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Client client = new Client(run, builder.start(), out, err, state);
        started.add(client);
        return client;
    }

    /** Runs {@code status} of a folder to its end; returns what it printed, failing unless it exits 0. */
    String status(Path state, Path folder) throws IOException, InterruptedException {
        String run = "status-" + System.nanoTime();
        Path out = logs.resolve(run + ".out");
        Path err = logs.resolve(run + ".err");
        Process process = builder("status", "--state", state.toString(), folder.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(STATUS_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("status did not end within " + STATUS_WAIT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("status exited " + process.exitValue() + ": " + read(err));
            }
            return read(out);
        } finally {
            process.destroyForcibly();
        }
    }

    private static ProcessBuilder builder(String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-cp", System.getProperty("java.class.path"), "org.syncservice.desktop.cli.DesktopMain"));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Client client : started) {
            if (client.process.isAlive()) {
                client.kill();
            }
        }
        started.clear();
    }
}
