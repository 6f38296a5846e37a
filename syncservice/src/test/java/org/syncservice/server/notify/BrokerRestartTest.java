package org.syncservice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.server.testing.RunningService;

/**
 * RabbitMQ stopped in the middle of a stream of commits and started again: every commit answered
 * COMMITTED is stored, every stored change is notified once the broker is back, and the clients and
 * the service reconnect by themselves. Stops the machine's broker for a few seconds, so it runs
 * alone in its JVM's test sequence like every other test (the build runs test classes one by one).
 */
class BrokerRestartTest {
    private static final Duration RETRY_FOR = Duration.ofSeconds(90);

    @Test
    void everyChangeCommittedAcrossABrokerRestartIsStoredAndNotified() throws Exception {
        assumeTrue(Rabbitmqctl.available(), "rabbitmqctl is needed to restart the broker");
        // Queued notifications survive a broker restart only when written to disk; by default a
        // device catches up with get_changes on reconnect instead (NotificationListenerTest).
        try (RunningService service = RunningService.start(Map.of("notifications.persistent", "true"))) {
            Devices devices = new Devices(service);
            Devices.User ann = devices.newUser("Ann");
            try (Devices.Device laptop = devices.login(ann, "laptop");
                 Devices.Device phone = devices.login(ann, "phone")) {
                String workspace = laptop.defaultWorkspace();
                String phoneQueue = phone.client().subscribeNotifications().getQueue();
                List<Long> answered = new ArrayList<>();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread committer = new Thread(() -> {
                    try {
                        for (int i = 0; !stop.get(); i++) {
                            CommitResponse response = commitWithRetries(laptop, workspace, i);
                            synchronized (answered) {
                                answered.add(response.getChangeSeq());
                            }
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }, "committer");
                committer.start();
                TimeUnit.MILLISECONDS.sleep(1500);
                try {
                    Rabbitmqctl.run("stop_app");
                    TimeUnit.SECONDS.sleep(2);
                } finally {
                    Rabbitmqctl.run("start_app");
                }
                awaitAnswersAfter(answered, 20);
                stop.set(true);
                committer.join(RETRY_FOR.toMillis());
                assertThat(failure.get()).as("the committer's failure").isNull();

                // Every answered commit is stored, each once, with consecutive sequence numbers.
                int commits = answered.size();
                assertThat(answered).containsExactlyElementsOf(range(1, commits));
                List<String> stored = listNames(laptop, workspace);
                assertThat(stored).hasSize(commits).doesNotHaveDuplicates();

                // Every stored change is notified once the broker is back.
                Set<Long> notified = new TreeSet<>();
                try (Channel channel = service.broker().connection().createChannel()) {
                    while (notified.size() < commits) {
                        Notification notification = Devices.nextNotification(channel, phoneQueue);
                        if (notification.hasCommit()) {
                            notified.add(notification.getCommit().getChangeSeq());
                        }
                    }
                }
                assertThat(notified).containsExactlyElementsOf(range(1, commits));
                System.out.printf("BrokerRestartTest: %d commits answered across the restart, all stored once,"
                        + " all %d change sequence numbers notified%n", commits, notified.size());
            }
        } finally {
            Rabbitmqctl.run("start_app");
        }
    }

    /** Retries the same request (same id) while the broker is away, as a client must. */
    private static CommitResponse commitWithRetries(Devices.Device device, String workspace, int i)
            throws InterruptedException {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            try {
                return device.newFolder(workspace, "folder-" + i, "restart-" + i);
            } catch (SyncServiceException e) {
                if (!e.isRetryable() || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    private static void awaitAnswersAfter(List<Long> answered, int more) throws InterruptedException {
        int target;
        synchronized (answered) {
            target = answered.size() + more;
        }
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (answered) {
                if (answered.size() >= target) {
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("the service did not answer again after the broker came back");
    }

    private static List<String> listNames(Devices.Device device, String workspace) {
        List<String> names = new ArrayList<>();
        String cursor = "";
        GetChangesResponse page;
        do {
            page = device.client().getChanges(GetChangesRequest.newBuilder().setWorkspaceId(workspace)
                    .setCursor(cursor).build());
            page.getItemsList().stream().map(Item::getName).forEach(names::add);
            cursor = page.getNextCursor();
        } while (page.getHasMore());
        return names;
    }

    private static List<Long> range(long first, long last) {
        List<Long> numbers = new ArrayList<>();
        for (long n = first; n <= last; n++) {
            numbers.add(n);
        }
        return numbers;
    }

    /** The broker's own control tool: this machine's tests run as root next to the broker. */
    static final class Rabbitmqctl {
        private Rabbitmqctl() {
        }

        static boolean available() {
            try {
                return new ProcessBuilder("rabbitmqctl", "version").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** Runs a command and waits for it, at most two minutes: a broker that does not come back fails the test. */
        static void run(String command) throws IOException, InterruptedException {
            java.nio.file.Path output = java.nio.file.Files.createTempFile("rabbitmqctl", ".log");
            try {
                Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IOException("rabbitmqctl " + command + " did not finish within 2 minutes");
                }
                if (process.exitValue() != 0) {
                    throw new IOException("rabbitmqctl " + command + " failed: " + java.nio.file.Files.readString(output));
                }
            } finally {
                java.nio.file.Files.deleteIfExists(output);
            }
        }
    }
}
