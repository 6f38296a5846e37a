package org.syncservice.server.transport.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.protocol.v1.ChangePasswordRequest;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.server.account.CreatedUser;
import org.syncservice.server.testing.CommitItems;
import org.syncservice.server.testing.RunningService;

/**
 * A revoked (or signed-out) device's open broker connections are closed by the service, through
 * RabbitMQ's management API, within {@code auth.token-cache-ttl} (5 s here), against the machine's
 * RabbitMQ with the JWT backend and rabbitmq_management (scripts/rabbitmq-auth-setup.sh): a raw
 * amqp-client connection made with the device's broker token that ignores every refusal, one more
 * that reconnects by itself (amqp-client's recovery, every 300 ms) with its still valid token, and
 * the SDK's own. The user's other device keeps its connections and goes on committing. The run has
 * its own virtual host, login user, management user (password in a 0600 file, given as
 * {@code amqp.management-password-file}) and signing key.
 */
class RevokedDeviceConnectionsTest {
    private static final Duration TOKEN_LIFETIME = JwtBrokerRun.TOKEN_LIFETIME;
    /** Where the broker's management API listens (rabbitmq_management's default port). */
    private static final String MANAGEMENT_URL =
            System.getProperty("syncservice.test.managementUrl", "http://127.0.0.1:15672");

    private static JwtBrokerRun broker;
    private static String managementUser;
    private static Path managementPasswordFile;
    private static String managementPassword;
    private static RunningService service;

    @BeforeAll
    static void startTheServiceWithBrokerTokensAndTheManagementApi() throws Exception {
        requireManagementPlugin();
        broker = JwtBrokerRun.create("revoked-connections");
        managementUser = "revoked-connections-admin-" + broker.run;
        managementPassword = UUID.randomUUID().toString();
        BrokerCli.addUser(managementUser, managementPassword);
        BrokerCli.run("set_user_tags", managementUser, "administrator");
        managementPasswordFile = Files.createTempFile("management-password", "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(managementPasswordFile, managementPassword);
        service = broker.start(Map.of(
                "amqp.management-url", MANAGEMENT_URL,
                "amqp.management-user", managementUser,
                "amqp.management-password-file", managementPasswordFile.toString()));
    }

    @AfterAll
    static void removeWhatTheRunMade() throws Exception {
        try {
            if (broker != null) {
                broker.close();
            }
        } finally {
            if (managementUser != null) {
                BrokerCli.runQuietly("delete_user", managementUser);
            }
            if (managementPasswordFile != null) {
                Files.deleteIfExists(managementPasswordFile);
            }
        }
    }

    @Test
    void aRevokedDevicesConnectionsAreClosedWithinTheTokenLifetimeAndOtherDevicesKeepTheirs() throws Exception {
        String email = JwtBrokerRun.email();
        CreatedUser user = broker.newUser(email);
        String workspace = user.defaultWorkspaceId().toString();
        try (SyncClient revokedSdk = SyncClient.connect(options()); SyncClient otherSdk = SyncClient.connect(options())) {
            LoginResponse revoked = login(revokedSdk, email);
            LoginResponse other = login(otherSdk, email);
            String revokedUser = revoked.getBrokerToken().getBrokerUser();
            String otherUser = other.getBrokerToken().getBrokerUser();
            Connection ignoring = connectWith(revoked.getBrokerToken().getToken(), false);
            Connection reconnecting = connectWith(revoked.getBrokerToken().getToken(), true);
            Connection othersRaw = connectWith(other.getBrokerToken().getToken(), false);
            CompletableFuture<ShutdownSignalException> closedByBroker = new CompletableFuture<>();
            ignoring.addShutdownListener(closedByBroker::complete);
            try {
                assertThat(revokedSdk.getAccountInfo().getAccount().getUserId()).isEqualTo(user.userId().toString());
                assertThat(connectionsOf(revokedUser)).as("the SDK's and the two raw ones").hasSizeGreaterThanOrEqualTo(3);

                long revokedAt = System.nanoTime();
                // What revoke-device does (RevokeDeviceCommand), here in the service's own process.
                service.service().components().accounts().unregisterDevice(user.userId(),
                        UUID.fromString(revoked.getDeviceId()));

                ShutdownSignalException signal = closedByBroker.get(TOKEN_LIFETIME.toMillis(), TimeUnit.MILLISECONDS);
                long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt);
                assertThat(signal.isInitiatedByApplication()).as("closed by the broker").isFalse();
                assertThat(signal.getMessage()).contains("CONNECTION_FORCED");
                // The last connection the token could open is closed by the sweep after it expired.
                List<Integer> seen = new ArrayList<>();
                long deadline = revokedAt + TOKEN_LIFETIME.plusMillis(2_000).toNanos();
                while (System.nanoTime() < deadline) {
                    seen.add(connectionsOf(revokedUser).size());
                    Thread.sleep(250);
                }
                for (int i = 0; i < 12; i++) {
                    assertThat(connectionsOf(revokedUser)).as("the revoked device's connections, %d ms after"
                                    + " revocation (counts seen before: %s)",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt), seen).isEmpty();
                    Thread.sleep(250);
                }
                System.out.printf("revoked connections: the first closed %d ms after revocation; connections of the"
                        + " device every 250 ms until 7 s: %s%n", closedAfterMs, seen);

                assertThat(othersRaw.isOpen()).as("the other device's raw connection").isTrue();
                assertThat(connectionsOf(otherUser)).as("the other device's connections").hasSizeGreaterThanOrEqualTo(2);
                otherSdk.commit(CommitRequest.newBuilder().setWorkspaceId(workspace)
                        .addItems(CommitItems.newFile("t1", "after-revocation.txt", 10)).build());
            } finally {
                reconnecting.abort();
                ignoring.abort();
                othersRaw.abort();
            }
        }
    }

    @Test
    void changePasswordClosesTheConnectionsOfTheDevicesItSignsOut() throws Exception {
        String email = JwtBrokerRun.email();
        broker.newUser(email);
        try (SyncClient changing = SyncClient.connect(options()); SyncClient signedOutSdk = SyncClient.connect(options())) {
            login(changing, email);
            LoginResponse signedOut = login(signedOutSdk, email);
            Connection raw = connectWith(signedOut.getBrokerToken().getToken(), false);
            CompletableFuture<ShutdownSignalException> closedByBroker = new CompletableFuture<>();
            raw.addShutdownListener(closedByBroker::complete);
            try {
                changing.changePassword(ChangePasswordRequest.newBuilder().setCurrentPassword(JwtBrokerRun.PASSWORD)
                        .setNewPassword(JwtBrokerRun.PASSWORD + " changed").build());
                assertThat(closedByBroker.get(TOKEN_LIFETIME.toMillis(), TimeUnit.MILLISECONDS).getMessage())
                        .contains("CONNECTION_FORCED");
                assertThat(changing.getAccountInfo().getAccount().getEmail()).as("the device that changed it")
                        .isEqualTo(email);
            } finally {
                raw.abort();
            }
        }
    }

    /** Fails with the set-up step to take when rabbitmq_management does not answer. */
    private static void requireManagementPlugin() throws Exception {
        String plugins = BrokerCli.run("eval", "rabbit_plugins:active().");
        assertThat(plugins).as("RabbitMQ must run rabbitmq_management: run scripts/rabbitmq-auth-setup.sh")
                .contains("rabbitmq_management");
    }

    /** The broker's list of the user's connections in the run's virtual host, from the management API. */
    private static List<String> connectionsOf(String brokerUser) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(MANAGEMENT_URL + "/api/connections/username/"
                        + brokerUser))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (managementUser + ":" + managementPassword).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        for (var connection : new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())) {
            if (broker.vhost.equals(connection.path("vhost").asText())) {
                names.add(connection.path("name").asText());
            }
        }
        return names;
    }

    private static SyncClientOptions options() {
        return broker.options();
    }

    private static LoginResponse login(SyncClient client, String email) {
        return JwtBrokerRun.login(client, email);
    }

    private static Connection connectWith(String brokerToken, boolean reconnecting) throws Exception {
        return broker.connectWith(brokerToken, reconnecting);
    }
}
