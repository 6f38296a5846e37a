package org.syncservice.desktop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.client.SyncClient;
import org.syncservice.desktop.local.FolderMarker;
import org.syncservice.desktop.state.StateDatabase;
import org.syncservice.desktop.state.SyncedItem;
import org.syncservice.embedded.EmbeddedSyncService;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;

/** sync-folder's lock and unlock commands against the whole service in its embedded mode. */
class LockCommandTest {
    private static final String PASSWORD = EmbeddedDemoService.PASSWORD;

    @TempDir
    static Path data;
    private static EmbeddedDemoService service;
    private static String server;

    @TempDir
    Path dir;
    private Path folder;
    private Path state;
    private TestTerminal terminal;
    private DeviceCredential credential;

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

    /** A folder whose sync has logged in (with a stand-in engine) and placed its marker. */
    @BeforeEach
    void syncedFolder() throws Exception {
        folder = Files.createDirectory(dir.resolve("Sync"));
        state = dir.resolve("state");
        assertThat(run(Map.of(PasswordSource.VARIABLE, PASSWORD), "--server", server, "--email",
                EmbeddedSyncService.DEMO_EMAIL, "--state", state.toString(), folder.toString()))
                .as(terminal.err()).isZero();
        credential = new CredentialFile(state).read().orElseThrow();
        FolderMarker.place(folder);
    }

    private int run(Map<String, String> variables, String... arguments) {
        terminal = new TestTerminal(dir, variables, "");
        EngineLauncher engine = (settings, client, progress) -> () -> { };
        StopAtOnce lifecycle = new StopAtOnce();
        SyncCommand sync = new SyncCommand(terminal.environment, engine, lifecycle, ignored -> { });
        StatusCommand status = new StatusCommand(terminal.environment, ignored -> {
            throw new AssertionError("no status in these tests");
        });
        return new DesktopCli(terminal.environment, sync, status).run(List.of(arguments));
    }

    private SyncClient client() {
        return SyncClient.connect(BrokerAddress.parse(server).options(Map.of())).withToken(credential.token());
    }

    /** Commits {@code Docs/report.txt} and records it as synced, as the engine would have. */
    private Path syncedFile() throws Exception {
        Path file = Files.writeString(Files.createDirectory(folder.resolve("Docs")).resolve("report.txt"), "draft");
        try (SyncClient client = client(); StateDatabase database = StateDatabase.open(state)) {
            List<Item> made = client.commit(CommitRequest.newBuilder().setWorkspaceId(credential.workspaceId())
                    .addItems(CommitItem.newBuilder().setTempId("d").setName("Docs").setIsFolder(true).setVersion(1)
                            .setStatus(ItemStatus.ITEM_STATUS_NEW))
                    .addItems(CommitItem.newBuilder().setTempId("r").setParentTempId("d").setName("report.txt")
                            .setVersion(1).setStatus(ItemStatus.ITEM_STATUS_NEW).setMimeType("text/plain"))
                    .build()).getResultsList().stream().map(result -> result.getCurrent()).toList();
            for (Item item : made) {
                database.putSynced(new SyncedItem(item.getItemId(), item.getParentId(), item.getName(),
                        item.getIsFolder(), item.getVersion(), item.getChecksum(), item.getSize(), 0, List.of(), "",
                        0, 0));
            }
        }
        return file;
    }

    private Item listed(String name) {
        try (SyncClient client = client()) {
            return client.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(credential.workspaceId()).build())
                    .getItemsList().stream().filter(item -> item.getName().equals(name)).findFirst().orElseThrow();
        }
    }

    @Test
    void lockTakesTheDevicesLockWithItsReasonAndMinutesAndUnlockReleasesIt() throws Exception {
        Path file = syncedFile();

        assertThat(run(Map.of(), "lock", "--reason", "editing the figures", "--minutes", "5", "--state",
                state.toString(), file.toString())).as(terminal.err()).isZero();

        Item locked = listed("report.txt");
        assertThat(locked.hasLock()).isTrue();
        assertThat(locked.getLock().getHolderDeviceId()).isEqualTo(credential.deviceId());
        assertThat(locked.getLock().getReason()).isEqualTo("editing the figures");
        assertThat(locked.getLock().getExpiresAtMs() - locked.getLock().getLockedAtMs()).isEqualTo(5 * 60_000L);
        assertThat(terminal.out()).startsWith("Locked " + file.toRealPath() + " until ");

        assertThat(run(Map.of(), "lock", "--minutes", "9", "--state", state.toString(), file.toString())).isZero();
        assertThat(listed("report.txt").getLock().getExpiresAtMs()).as("renewed")
                .isGreaterThan(locked.getLock().getExpiresAtMs());

        assertThat(run(Map.of(), "unlock", "--state", state.toString(), file.toString())).as(terminal.err()).isZero();
        assertThat(terminal.out()).isEqualTo("Unlocked " + file.toRealPath() + "\n");
        assertThat(listed("report.txt").hasLock()).isFalse();
        assertThat(run(Map.of(), "unlock", "--state", state.toString(), file.toString())).isZero();
        assertThat(terminal.out()).isEqualTo(file.toRealPath() + " was not locked\n");
    }

    @Test
    void filesThatCannotBeLockedAreRefusedWithWhy() throws Exception {
        Path file = syncedFile();
        Path fresh = Files.writeString(folder.resolve("new.txt"), "x");
        Path outside = Files.writeString(dir.resolve("elsewhere.txt"), "x");

        assertThat(run(Map.of(), "lock", "--state", state.toString(), fresh.toString())).isEqualTo(1);
        assertThat(terminal.err()).contains("is not synced yet");
        assertThat(run(Map.of(), "lock", "--state", state.toString(), outside.toString())).isEqualTo(1);
        assertThat(terminal.err()).contains("is in no synced folder");
        assertThat(run(Map.of(), "lock", "--state", state.toString(), file.getParent().toString())).isEqualTo(1);
        assertThat(terminal.err()).contains("only files can be locked");
        for (String minutes : List.of("0", "-1", "soon", "99999999999")) {
            assertThat(run(Map.of(), "lock", "--minutes", minutes, file.toString())).as(minutes).isEqualTo(2);
            assertThat(terminal.err()).contains("--minutes");
        }
        assertThat(run(Map.of(), "unlock", "--state", state.toString())).isEqualTo(2);
        assertThat(terminal.err()).contains("missing the file (PATH)");
    }
}
