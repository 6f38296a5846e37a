package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.client.SyncClient;
import org.syncservice.desktop.engine.DesktopSettings;
import org.syncservice.embedded.EmbeddedSyncService;
import org.syncservice.protocol.v1.UnregisterDeviceRequest;

/** The sync command against the whole service in its embedded mode, with a stand-in engine. */
class SyncAgainstEmbeddedServiceTest {
    private static final String PASSWORD = EmbeddedDemoService.PASSWORD;

    @TempDir
    static Path data;
    private static EmbeddedDemoService service;
    private static String server;

    @TempDir
    Path dir;
    private Path folder;
    private Path state;
    private final List<DesktopSettings> started = new ArrayList<>();
    private final List<String> engineSaw = new ArrayList<>();
    private int closed;
    private boolean failingEngine;
    private final StopAtOnce lifecycle = new StopAtOnce();
    private TestTerminal terminal;

    @BeforeAll
    static void startService() throws Exception {
        service = EmbeddedDemoService.start(data);
        server = service.server();
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
        }
    }

    @BeforeEach
    void folders() throws Exception {
        folder = Files.createDirectory(dir.resolve("Sync"));
        state = dir.resolve("state");
    }

    private int run(Map<String, String> variables, String stdin, String... arguments) {
        terminal = new TestTerminal(dir, variables, stdin);
        EngineLauncher engine = (settings, client, progress) -> {
            started.add(settings);
            // The client the engine gets is logged in: a call that needs the token works.
            engineSaw.add(client.getAccountInfo().getAccount().getEmail());
            if (failingEngine) {
                throw new IllegalStateException("engine failed to start");
            }
            return () -> closed++;
        };
        SyncCommand sync = new SyncCommand(terminal.environment, engine, lifecycle, dir -> { });
        StatusCommand status = new StatusCommand(terminal.environment, state -> {
            throw new AssertionError("no status in these tests");
        });
        return new DesktopCli(terminal.environment, sync, status).run(List.of(arguments));
    }

    private int firstRun(String... extra) {
        List<String> arguments = new ArrayList<>(List.of("--server", server, "--email", EmbeddedSyncService.DEMO_EMAIL,
                "--state", state.toString(), "--device-name", "test-laptop"));
        arguments.addAll(List.of(extra));
        arguments.add(folder.toString());
        return run(Map.of(PasswordSource.VARIABLE, PASSWORD), "", arguments.toArray(String[]::new));
    }

    private int laterRun(String... extra) {
        List<String> arguments = new ArrayList<>(List.of("--state", state.toString()));
        arguments.addAll(List.of(extra));
        arguments.add(folder.toString());
        return run(Map.of(), "", arguments.toArray(String[]::new));
    }

    private DeviceCredential stored() {
        return new CredentialFile(state).read().orElseThrow();
    }

    @Test
    void theFirstRunLogsInStoresTheCredentialAndStartsTheEngineOnTheDefaultWorkspace() throws Exception {
        assertThat(firstRun()).as(terminal.err()).isZero();

        DeviceCredential credential = stored();
        assertThat(credential.email()).isEqualTo(EmbeddedSyncService.DEMO_EMAIL);
        assertThat(credential.server()).isEqualTo(server);
        assertThat(credential.deviceName()).isEqualTo("test-laptop");
        assertThat(credential.workspaceName()).isEqualTo("default");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(CredentialFile.NAME))))
                .isEqualTo("rw-------");

        assertThat(started).hasSize(1);
        DesktopSettings settings = started.get(0);
        assertThat(settings.folder()).isEqualTo(folder.toRealPath());
        assertThat(settings.stateDirectory()).isEqualTo(state);
        assertThat(settings.workspaceId()).isEqualTo(credential.workspaceId());
        assertThat(settings.deviceId()).isEqualTo(credential.deviceId());
        assertThat(settings.massDeletionShare()).isEqualTo(DesktopSettings.DEFAULT_MASS_DELETION_SHARE);
        assertThat(settings.broker().requestExpiration()).isFalse();
        assertThat(engineSaw).containsExactly(EmbeddedSyncService.DEMO_EMAIL);
        assertThat(closed).isEqualTo(1);
        lifecycle.stopAgain();
        assertThat(closed).as("a second stop closes nothing twice").isEqualTo(1);
        assertThat(terminal.out()).contains("Syncing " + folder.toRealPath() + " with workspace 'default'");
    }

    @Test
    void laterRunsReuseTheStoredCredentialWithoutAskingForThePassword() {
        assertThat(firstRun()).isZero();
        DeviceCredential first = stored();

        // No password anywhere: standard input is empty, the variable unset.
        assertThat(laterRun("--allow-mass-delete")).as(terminal.err()).isZero();
        assertThat(stored()).isEqualTo(first);
        assertThat(started).hasSize(2);
        assertThat(started.get(1).deviceId()).isEqualTo(first.deviceId());
        assertThat(started.get(1).massDeletionShare()).isEqualTo(1.0);

        assertThat(laterRun("--device-name", "renamed")).as(terminal.err()).isZero();
        assertThat(stored().deviceName()).isEqualTo("renamed");
        assertThat(started.get(2).deviceName()).isEqualTo("renamed");
    }

    @Test
    void anEngineThatFailsToStartIsOneLineAndExitOne() {
        failingEngine = true;
        assertThat(firstRun()).isEqualTo(1);
        assertThat(terminal.err()).isEqualTo("sync-folder: the sync engine failed to start: engine failed to start\n");
        assertThat(terminal.out()).doesNotContain("Syncing");
    }

    @Test
    void thePasswordMayComeFromStandardInput() {
        assertThat(run(Map.of(), PASSWORD + "\n", "--server", server, "--email", EmbeddedSyncService.DEMO_EMAIL,
                "--state", state.toString(), folder.toString())).as(terminal.err()).isZero();
        assertThat(stored().deviceName()).isEqualTo("test-host");
    }

    @Test
    void aWrongPasswordIsOneLineAndExitOne() {
        assertThat(run(Map.of(PasswordSource.VARIABLE, "wrong"), "", "--server", server, "--email",
                EmbeddedSyncService.DEMO_EMAIL, "--state", state.toString(), folder.toString())).isEqualTo(1);
        assertThat(terminal.err()).isEqualTo("sync-folder: login refused: wrong email or password\n");
        assertThat(state.resolve(CredentialFile.NAME)).doesNotExist();
    }

    @Test
    void anUnknownWorkspaceIsOneLineListingTheNames() {
        assertThat(firstRun("--workspace", "Nope")).isEqualTo(2);
        assertThat(terminal.err()).isEqualTo("sync-folder: no workspace named 'Nope'; yours are: 'default' (see --help)\n");
        assertThat(started).isEmpty();
    }

    @Test
    void aRevokedDeviceIsToldToLogInAgainAndDoesSoWithLogin() {
        assertThat(firstRun()).isZero();
        DeviceCredential revoked = stored();
        Map<String, String> noBrokerPassword = new HashMap<>();
        try (SyncClient client = SyncClient.connect(BrokerAddress.parse(server).options(noBrokerPassword))) {
            client.withToken(revoked.token()).unregisterDevice(UnregisterDeviceRequest.getDefaultInstance());
        }

        assertThat(laterRun()).isEqualTo(1);
        assertThat(terminal.err()).isEqualTo("sync-folder: this device's credential was revoked or has expired: "
                + "run again with --login to log in again\n");
        assertThat(started).hasSize(1);

        assertThat(run(Map.of(PasswordSource.VARIABLE, PASSWORD), "", "--login", "--state", state.toString(),
                folder.toString())).as(terminal.err()).isZero();
        DeviceCredential renewed = stored();
        assertThat(renewed.deviceId()).isNotEqualTo(revoked.deviceId());
        assertThat(renewed.workspaceId()).isEqualTo(revoked.workspaceId());
        assertThat(started).hasSize(2);
    }

    @Test
    void aFolderStaysWithItsServerAndAccount() {
        assertThat(firstRun()).isZero();
        assertThat(laterRun("--server", "amqp://elsewhere:5672")).isEqualTo(2);
        assertThat(terminal.err()).contains("this folder is synced through " + server);
        assertThat(laterRun("--email", "someone@else.org")).isEqualTo(2);
        assertThat(terminal.err()).contains("this folder is synced for " + EmbeddedSyncService.DEMO_EMAIL);
    }

    @Test
    void sigtermStopsARunningSyncCleanlyWithExitZero() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                DesktopMain.class.getName(), "--server", server, "--email", EmbeddedSyncService.DEMO_EMAIL,
                "--state", state.toString(), folder.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put(PasswordSource.VARIABLE, PASSWORD);
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            // The line comes once the engine runs; the process keeps running until told to stop.
            assertThat(out.readLine()).startsWith("Syncing ");
            assertThat(process.isAlive()).isTrue();
            process.destroy();
            assertThat(process.waitFor()).isZero();
        } finally {
            process.destroyForcibly();
        }
        assertThat(stored().email()).isEqualTo(EmbeddedSyncService.DEMO_EMAIL);
    }
}
