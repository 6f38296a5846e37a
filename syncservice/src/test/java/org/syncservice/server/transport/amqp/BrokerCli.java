package org.syncservice.server.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * rabbitmqctl for the broker-level tests. Input comes from /dev/null (or the given text) so that
 * the CLI never waits on the test's stdin; passwords go through stdin, not the command line.
 */
final class BrokerCli {
    private BrokerCli() {
    }

    static String run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    static String runWithInput(String input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (input == null) {
            builder.redirectInput(new File("/dev/null"));
        }
        Process process = builder.start();
        if (input != null) {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write((input + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("rabbitmqctl " + args[0] + " did not finish within 60 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("rabbitmqctl %s: %s", args[0], output).isZero();
        return output;
    }

    static void runQuietly(String... args) {
        try {
            run(args);
        } catch (IOException | InterruptedException | AssertionError e) {
            System.out.println("cleanup: " + e.getMessage());
        }
    }

    static void addUser(String user, String password) throws IOException, InterruptedException {
        runWithInput(password, "add_user", user);
    }

    /** Fails with the set-up step to take when the broker does not use the JWT backend. */
    static void requireOAuth2Backend() throws IOException, InterruptedException {
        String backends = run("eval", "application:get_env(rabbit, auth_backends).");
        assertThat(backends)
                .as("RabbitMQ must authenticate with the internal backend and then JWTs: run"
                        + " scripts/rabbitmq-auth-setup.sh (README, 'Broker authentication')")
                .contains("rabbit_auth_backend_internal").contains("rabbit_auth_backend_oauth2");
    }
}
