package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.embedded.EmbeddedSyncService;

/**
 * The sync command with {@code --login-user} against a service that hands out broker tokens, on
 * the machine's RabbitMQ with the JWT backend (scripts/rabbitmq-auth-setup.sh): a virtual host,
 * login-only user and signing key of the run's own, the embedded mode's database and storage, and
 * {@code auth.require-broker-user-id=true}, so the login-only user may call nothing but login,
 * get_server_info and refresh_broker_token, and the URL's broker user exists nowhere. That the
 * engine's client reads the account, and that the broker lists a connection of the device's own
 * broker user, shows the client switched to the device's identity; a later run without the option
 * takes the login user from the folder's stored credential.
 */
class SyncWithBrokerTokensTest {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String VHOST = "desktop-tokens-" + RUN;
    private static final String LOGIN_USER = "desktop-tokens-login-" + RUN;
    private static final String KEY_ID = "desktop-tokens-" + RUN;
    private static final String PASSWORD = "desktop-secret";

    @TempDir
    static Path data;
    private static EmbeddedSyncService service;

    @TempDir
    Path dir;
    private final List<String> engineSaw = new ArrayList<>();
    private final List<String> brokerUsersWhileRunning = new ArrayList<>();

    @BeforeAll
    static void startTheServiceWithBrokerTokens() throws Exception {
        String backends = rabbitmqctl(null, "eval", "application:get_env(rabbit, auth_backends).");
        assertThat(backends).as("run scripts/rabbitmq-auth-setup.sh first").contains("rabbit_auth_backend_oauth2");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path privateKey = data.resolve("broker-signing.pem");
        Files.writeString(privateKey, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        rabbitmqctl(null, "add_uaa_key", KEY_ID, "--pem=" + pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        rabbitmqctl(null, "add_vhost", VHOST);
        rabbitmqctl(null, "set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*");
        rabbitmqctl(LOGIN_USER, "add_user", LOGIN_USER);
        rabbitmqctl(null, "set_permissions", "-p", VHOST, LOGIN_USER, "^$", "^syncservice\\.rpc$", "^$");
        service = new EmbeddedSyncService(new EmbeddedSyncService.Settings(data.resolve("service"), 0, PASSWORD,
                Map.ofEntries(Map.entry("auth.password-hash-iterations", "10000"),
                        Map.entry("amqp.host", "127.0.0.1"), Map.entry("amqp.port", "5672"),
                        Map.entry("amqp.virtual-host", VHOST),
                        Map.entry("amqp.user", "guest"), Map.entry("amqp.password", "guest"),
                        Map.entry("auth.token-cache-ttl", "5s"), Map.entry("auth.require-broker-user-id", "true"),
                        Map.entry("auth.broker-login-user", LOGIN_USER),
                        Map.entry("auth.broker-signing-key-file", privateKey.toString()),
                        Map.entry("auth.broker-signing-key-id", KEY_ID))));
        service.start();
    }

    @AfterAll
    static void removeWhatTheRunMade() throws Exception {
        if (service != null) {
            service.close();
        }
        rabbitmqctlQuietly("delete_user", LOGIN_USER);
        rabbitmqctlQuietly("delete_vhost", VHOST);
    }

    @Test
    void withTheLoginUserTheClientWorksUnderTheDevicesOwnBrokerIdentityAndRemembersIt() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("Sync"));
        Path state = dir.resolve("state");
        // The URL's broker user does not exist: only the login user and the device's token can work.
        String server = "amqp://nobody-" + RUN + "@127.0.0.1:5672/" + VHOST;

        assertThat(run(Map.of(PasswordSource.VARIABLE, PASSWORD), "--server", server, "--login-user", LOGIN_USER,
                "--email", EmbeddedSyncService.DEMO_EMAIL, "--state", state.toString(), folder.toString()))
                .isZero();
        DeviceCredential credential = new CredentialFile(state).read().orElseThrow();
        assertThat(credential.loginUser()).isEqualTo(LOGIN_USER);
        assertThat(engineSaw).containsExactly(EmbeddedSyncService.DEMO_EMAIL);
        assertThat(brokerUsersWhileRunning).contains("device." + credential.deviceId()).doesNotContain(LOGIN_USER);

        assertThat(run(Map.of(), "--state", state.toString(), folder.toString())).as("a later run").isZero();
        assertThat(engineSaw).hasSize(2);
        assertThat(new CredentialFile(state).read().orElseThrow().loginUser()).isEqualTo(LOGIN_USER);
    }

    private int run(Map<String, String> variables, String... arguments) {
        TestTerminal terminal = new TestTerminal(dir, variables, "");
        EngineLauncher engine = (settings, client, progress) -> {
            engineSaw.add(client.getAccountInfo().getAccount().getEmail());
            try {
                brokerUsersWhileRunning.addAll(List.of(rabbitmqctl(null, "list_connections", "-p", VHOST, "user")
                        .strip().split("\\s+")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return () -> { };
        };
        SyncCommand sync = new SyncCommand(terminal.environment, engine, new StopAtOnce(), state -> { });
        StatusCommand status = new StatusCommand(terminal.environment, state -> {
            throw new AssertionError("no status in this test");
        });
        int code = new DesktopCli(terminal.environment, sync, status).run(List.of(arguments));
        assertThat(terminal.err()).as("standard error").doesNotContain("Exception");
        return code;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** rabbitmqctl with {@code input} (a password) on standard input, never on the command line. */
    private static String rabbitmqctl(String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(args));
        Path in = Files.createTempFile(data, "rabbitmqctl", ".in");
        Files.writeString(in, input == null ? "" : input + "\n");
        try {
            Process done = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(in.toFile()).start()
                    .onExit().get(60, TimeUnit.SECONDS);
            String output = new String(done.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(done.exitValue()).as("rabbitmqctl %s: %s", args[0], output).isZero();
            return output;
        } finally {
            Files.delete(in);
        }
    }

    private static void rabbitmqctlQuietly(String... args) {
        try {
            rabbitmqctl(null, args);
        } catch (Exception | AssertionError e) {
            System.out.println("cleanup: " + e.getMessage());
        }
    }
}
