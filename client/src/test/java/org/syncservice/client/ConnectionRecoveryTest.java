package org.syncservice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Response;

/**
 * Recovery after the broker drops the client's connection, forced with {@code rabbitmqctl
 * close_connection}. Skipped when rabbitmqctl is not on the PATH.
 */
class ConnectionRecoveryTest {

    @Test
    void callInFlightFailsAsUnavailableAndTheNextCallSucceedsOverTheNewReplyQueue() throws Exception {
        assumeTrue(rabbitmqctlOnPath(), "rabbitmqctl is not on the PATH");
        // Requests whose id starts with "hold" are never answered, so one stays in flight.
        try (TestResponder responder = TestResponder.start(
                        r -> r.getRequestId().startsWith("hold") ? null : TestResponder.echoResponse(r));
                AmqpRpcClient client = AmqpRpcClient.connect(responder.options().build())) {
            String connectionName = client.connectionNameForTests();
            assertThat(client.call(AmqpRpcClientTest.serverInfo("before"), Duration.ofSeconds(10))
                    .get(10, TimeUnit.SECONDS).getRequestId()).isEqualTo("before");
            responder.received.clear();
            // Twice: the listeners that fail calls and follow the reply queue must survive a recovery.
            for (int drop = 1; drop <= 2; drop++) {
                String replyQueueBefore = client.replyQueue();
                CompletableFuture<Response> inFlight =
                        client.call(AmqpRpcClientTest.serverInfo("hold-" + drop), Duration.ofSeconds(60));
                responder.nextReceived(Duration.ofSeconds(10));

                closeFromBroker(connectionName);

                SyncServiceException lost = AmqpRpcClientTest.failureOf(inFlight, Duration.ofSeconds(5));
                assertThat(lost.code()).isEqualTo(ErrorCode.ERROR_CODE_UNAVAILABLE);
                Response after = callUntilRecovered(client, Duration.ofSeconds(30));
                assertThat(after.getRequestId()).isEqualTo("after");
                assertThat(client.replyQueue()).isNotEqualTo(replyQueueBefore);
                assertThat(client.pendingCalls()).isZero();
                responder.received.clear();
            }
        }
    }

    private static Response callUntilRecovered(AmqpRpcClient client, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                return client.call(AmqpRpcClientTest.serverInfo("after"), Duration.ofSeconds(2))
                        .get(5, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no successful call within " + within, e.getCause());
                }
                Thread.sleep(100);
            }
        }
    }

    private static boolean rabbitmqctlOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, "rabbitmqctl").canExecute()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Finds our connection by its client-provided name and closes it. close_connection is given
     * the connection's pid: recent RabbitMQ versions no longer accept the "a -> b" name there.
     */
    private static void closeFromBroker(String connectionName) throws Exception {
        String brokerName = null;
        for (int attempt = 0; attempt < 20 && brokerName == null; attempt++) {
            for (String line : run(List.of("rabbitmqctl", "-q", "list_connections", "pid", "client_properties"))
                    .split("\n")) {
                if (line.contains("\"" + connectionName + "\"")) {
                    brokerName = line.split("\t", 2)[0];
                }
            }
            if (brokerName == null) {
                Thread.sleep(100);
            }
        }
        assertThat(brokerName).as("broker connection named " + connectionName).isNotNull();
        run(List.of("rabbitmqctl", "close_connection", brokerName, "recovery test"));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command + " failed: " + out);
        }
        return out;
    }
}
