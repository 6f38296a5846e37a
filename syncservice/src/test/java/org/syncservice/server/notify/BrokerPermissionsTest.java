package org.syncservice.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.TestBroker;

/**
 * The broker-side permission model of docs/notifications.md, on the real RabbitMQ: a device's
 * broker user may consume its own notification queue, and nothing else of the notification side.
 */
class BrokerPermissionsTest {
    private static final int ACCESS_REFUSED = 403;

    private static void rabbitmqctl(String... args) throws Exception {
        Process process = new ProcessBuilder(concat("rabbitmqctl", args)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("rabbitmqctl %s: %s", List.of(args), output).isZero();
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static boolean rabbitmqctlAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "rabbitmqctl"))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin/rabbitmqctl"));
    }

    private static int refusalCode(Exception e) {
        Throwable cause = e instanceof IOException ? e.getCause() : e;
        if (cause instanceof ShutdownSignalException signal && signal.getReason() instanceof AMQP.Channel.Close close) {
            return close.getReplyCode();
        }
        throw new AssertionError("not a channel error: " + e, e);
    }

    @Test
    void aDeviceConsumesItsOwnQueueButNeitherAnotherDevicesNorOneItBindsItself() throws Exception {
        assumeTrue(rabbitmqctlAvailable(), "rabbitmqctl is not installed");
        try (RunningService service = RunningService.start()) {
            Devices devices = new Devices(service);
            Devices.User ann = devices.newUser("Ann");
            Devices.User bob = devices.newUser("Bob");
            try (Devices.Device annsLaptop = devices.login(ann, "laptop");
                 Devices.Device bobsLaptop = devices.login(bob, "laptop")) {
                String annsQueue = annsLaptop.client().subscribeNotifications().getQueue();
                String bobsQueue = bobsLaptop.client().subscribeNotifications().getQueue();
                String exchange = service.config().amqp().notificationExchange();

                // Ann's laptop gets a broker user of its own, with the permissions of docs/notifications.md.
                String brokerUser = "syncservice-test-" + UUID.randomUUID();
                String password = UUID.randomUUID().toString();
                rabbitmqctl("add_user", brokerUser, password);
                try {
                    rabbitmqctl("set_permissions", "-p", "/", brokerUser,
                            "^amq\\.gen-.*",
                            "^amq\\.default$",
                            "^(amq\\.gen-.*|" + Pattern.quote(annsQueue) + ")$");
                    ConnectionFactory factory = new ConnectionFactory();
                    factory.setHost(TestBroker.host());
                    factory.setPort(TestBroker.port());
                    factory.setUsername(brokerUser);
                    factory.setPassword(password);
                    try (Connection connection = factory.newConnection("permissions-test")) {
                        Channel own = connection.createChannel();
                        own.basicConsume(annsQueue, false, (tag, delivery) -> { }, tag -> { });

                        Channel other = connection.createChannel();
                        assertThatThrownBy(() -> other.basicConsume(bobsQueue, true, (tag, delivery) -> { }, tag -> { }))
                                .satisfies(e -> assertThat(refusalCode((Exception) e)).isEqualTo(ACCESS_REFUSED));

                        Channel sneaky = connection.createChannel();
                        String ownQueue = sneaky.queueDeclare("", false, true, true, null).getQueue();
                        assertThatThrownBy(() -> sneaky.queueBind(ownQueue, exchange, "ws.#"))
                                .satisfies(e -> assertThat(refusalCode((Exception) e)).isEqualTo(ACCESS_REFUSED));

                        Channel rebinding = connection.createChannel();
                        assertThatThrownBy(() -> rebinding.queueBind(annsQueue, exchange,
                                NotificationRoutes.user(bob.userId())))
                                .satisfies(e -> assertThat(refusalCode((Exception) e)).isEqualTo(ACCESS_REFUSED));
                    }
                } finally {
                    rabbitmqctl("delete_user", brokerUser);
                }
            }
        }
    }
}
