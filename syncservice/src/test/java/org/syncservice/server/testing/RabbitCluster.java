package org.syncservice.server.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A RabbitMQ cluster of the test's own, one node per network namespace, made by
 * scripts/rabbitmq-test-cluster.sh (see there for addresses, partition handling and auth setup);
 * the machine's broker is never involved. Nodes are numbered from 1. Everything the cluster made
 * (namespaces, links, node processes, directories) is removed on close, by a shutdown hook if the
 * test never closes it, and by the next cluster's start if this JVM was killed. Needs root,
 * iproute2 and Debian's rabbitmq-server: {@link #available()} says whether they are there.
 */
public final class RabbitCluster implements AutoCloseable {
    public static final int AMQP_PORT = 5672;
    private static final String NAME_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final String name;
    private final List<String> addresses;
    private final Thread cleanup;

    private RabbitCluster(String name, List<String> addresses) {
        this.name = name;
        this.addresses = addresses;
        this.cleanup = new Thread(this::destroyQuietly, "rabbit-cluster-cleanup-" + name);
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server"))
                && (Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/usr/bin/ip")))
                && "root".equals(System.getProperty("user.name"));
    }

    /**
     * Makes and starts {@code nodes} clustered nodes, after removing clusters that a killed run left.
     *
     * @param environment for scripts/rabbitmq-auth-setup.sh (SYNCSERVICE_SIGNING_PUBLIC_KEY, ...)
     */
    public static RabbitCluster start(int nodes, Map<String, String> environment)
            throws IOException, InterruptedException {
        run(Map.of(), Duration.ofMinutes(1), "sweep");
        String name = newName();
        Map<String, String> values;
        try {
            values = keyValues(run(environment, Duration.ofMinutes(5), "create", name, Integer.toString(nodes),
                    Long.toString(ProcessHandle.current().pid())));
        } catch (IOException | InterruptedException | RuntimeException e) {
            run(Map.of(), Duration.ofMinutes(1), "destroy", name);
            throw e;
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            addresses.add(values.get("NODE" + i));
        }
        return new RabbitCluster(name, List.copyOf(addresses));
    }

    public int size() {
        return addresses.size();
    }

    /** The address node {@code node}'s AMQP (on {@link #AMQP_PORT}) and management API listen on. */
    public String address(int node) {
        return addresses.get(node - 1);
    }

    /** The node's management API, as {@code amqp.management-url} takes it. */
    public String managementUrl(int node) {
        return "http://" + address(node) + ":15672";
    }

    /** What can be done to one node; each returns once it is done (a start: once the broker runs). */
    public enum NodeCommand {
        /** {@code rabbitmqctl stop_app}: the node stays in the cluster's view, its broker stops. */
        STOP_APP("stop-app"),
        START_APP("start-app"),
        /** {@code kill -9} of the node's Erlang VM. */
        KILL("kill"),
        /** Starts a stopped or killed node again. */
        START("start"),
        /** Cuts the node off the other nodes; this host still reaches it (pause_minority then pauses it). */
        CUT("cut"),
        HEAL("heal");

        private final String scriptCommand;

        NodeCommand(String scriptCommand) {
            this.scriptCommand = scriptCommand;
        }
    }

    public void run(NodeCommand command, int node) throws IOException, InterruptedException {
        run(Map.of(), Duration.ofMinutes(3), command.scriptCommand, name, Integer.toString(node));
    }

    /** {@code rabbitmqctl} against the node; its output. */
    public String ctl(int node, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ctl", name, Integer.toString(node)));
        command.addAll(List.of(arguments));
        return run(Map.of(), Duration.ofMinutes(1), command.toArray(String[]::new));
    }

    /** Waits until {@code rabbitmqctl cluster_status} on {@code node} lists every node as running. */
    public void awaitAllRunning(int node, Duration patience) throws IOException, InterruptedException {
        awaitStatus(node, running -> addresses.stream().allMatch(a -> running.contains(nodeName(a))),
                "every node running", patience);
    }

    /** Waits until node {@code observer} no longer counts node {@code down} among the running ones. */
    public void awaitSeenDown(int observer, int down, Duration patience) throws IOException, InterruptedException {
        awaitStatus(observer, running -> !running.contains(nodeName(address(down))),
                "node " + down + " seen down", patience);
    }

    private void awaitStatus(int node, java.util.function.Predicate<String> runningNodesMatch, String what,
                             Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            try {
                status = ctl(node, "cluster_status", "--formatter", "json");
                if (runningNodesMatch.test(runningNodes(status))) {
                    return;
                }
            } catch (IOException e) {
                status = e.getMessage();
            }
            TimeUnit.MILLISECONDS.sleep(300);
        }
        throw new IOException("not " + what + " after " + patience + " (node " + node + "): " + status);
    }

    private static String nodeName(String address) {
        return "\"rabbit@" + address + "\"";
    }

    private static String runningNodes(String json) {
        int start = json.indexOf("\"running_nodes\"");
        if (start < 0) {
            return "";
        }
        int end = json.indexOf(']', start);
        return end < 0 ? "" : json.substring(start, end);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(Map.of(), Duration.ofMinutes(1), "destroy", name);
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs (destroy is idempotent).
        }
    }

    private void destroyQuietly() {
        try {
            run(Map.of(), Duration.ofMinutes(1), "destroy", name);
        } catch (IOException | InterruptedException e) {
            System.err.println("RabbitCluster: removing cluster " + name + " failed: " + e.getMessage());
        }
    }

    private static String newName() {
        SecureRandom random = new SecureRandom();
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            name.append(NAME_LETTERS.charAt(random.nextInt(NAME_LETTERS.length())));
        }
        return name.toString();
    }

    private static Map<String, String> keyValues(String output) {
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    private static String run(Map<String, String> environment, Duration timeout, String... arguments)
            throws IOException, InterruptedException {
        String root = System.getProperty("syncservice.projectRoot", "..");
        List<String> command = new ArrayList<>();
        command.add(Path.of(root, "scripts", "rabbitmq-test-cluster.sh").toAbsolutePath().normalize().toString());
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile("rabbit-cluster", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", arguments) + " timed out after " + timeout);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException("rabbitmq-test-cluster.sh " + String.join(" ", arguments) + " failed: " + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
