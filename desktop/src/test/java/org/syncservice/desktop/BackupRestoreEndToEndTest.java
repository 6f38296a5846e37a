package org.syncservice.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.client.SyncServiceException;
import org.syncservice.desktop.SyncWorld.Device;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.ItemStatus;

/**
 * Backup and restore end to end, as docs/backup.md tells an operator: the service runs on the
 * machine's PostgreSQL and RabbitMQ and an S3 store; two desktop clients sync; the database is
 * dumped with pg_dump and the storage copied; device A then goes on changing files (new ones,
 * edits, a rename, a delete, a new folder); the backup is restored into a fresh database and store,
 * new-epoch is run, the service starts on the restored database, and the devices sync again. The
 * restored database is behind both devices: what A did after the backup exists only on them.
 */
class BackupRestoreEndToEndTest {
    private static final Duration CONVERGE = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    private RestorableService service;
    private SyncWorld world;

    @BeforeEach
    void start() throws Exception {
        service = RestorableService.start(directory.resolve("service"));
        world = SyncWorld.on(directory, service);
    }

    @AfterEach
    void stop() throws Exception {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void devicesAheadOfARestoredDatabaseLoseNothingAndConverge() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device phone = world.device(user, "phone").start();
        SyncWorld.write(laptop.path("kept.txt"), "committed before the backup");
        SyncWorld.write(laptop.path("docs/inside.txt"), "in a folder, before the backup");
        SyncWorld.write(laptop.path("edited.txt"), "edited after the backup: the old text");
        SyncWorld.write(laptop.path("old-name.txt"), "renamed after the backup");
        SyncWorld.write(laptop.path("deleted.txt"), "deleted after the backup");
        Map<String, String> beforeBackup = world.awaitConverged(CONVERGE, List.of(laptop, phone));
        String cursorBefore = fullListingCursor(laptop);

        Path backup = service.backUp("nightly");

        SyncWorld.write(laptop.path("new.txt"), "created after the backup");
        SyncWorld.write(laptop.path("docs/new-inside.txt"), "created in an old folder after the backup");
        SyncWorld.write(laptop.path("later/deeper.txt"), "in a folder created after the backup");
        SyncWorld.write(laptop.path("edited.txt"), "edited after the backup: the new text");
        Files.move(laptop.path("old-name.txt"), laptop.path("docs/new-name.txt"));
        Files.delete(laptop.path("deleted.txt"));
        Map<String, String> beforeRestore = world.awaitConverged(CONVERGE, List.of(laptop, phone));
        String cursorAfterBackup = fullListingCursor(laptop);
        laptop.stop();
        phone.stop();

        service.restore(backup);

        assertThat(service.missingChunks()).as("chunks the restored database references, missing in storage")
                .isEmpty();
        assertThat(service.chunkReferences()).isPositive();
        for (String cursor : List.of(cursorBefore, cursorAfterBackup)) {
            assertThatThrownBy(() -> laptop.sdk.getChanges(GetChangesRequest.newBuilder()
                    .setWorkspaceId(laptop.workspaceId).setCursor(cursor).build()))
                    .isInstanceOfSatisfying(SyncServiceException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_CURSOR_EXPIRED));
        }
        assertThat(world.serverTree(laptop)).as("the restored database is the backup's").isEqualTo(beforeBackup);

        laptop.start();
        phone.start();
        Map<String, String> tree = world.awaitConverged(CONVERGE, List.of(laptop, phone));

        // Everything the devices held survives, at its place: nothing committed before the backup is
        // lost, and what the laptop did after it comes back to the service from the devices.
        for (Map.Entry<String, String> held : beforeRestore.entrySet()) {
            assertThat(tree).as("the tree after the restore holds %s as the devices had it", held.getKey())
                    .containsEntry(held.getKey(), held.getValue());
        }
        assertThat(tree).containsEntry("kept.txt", SyncWorld.checksum("committed before the backup"))
                .containsEntry("docs/inside.txt", SyncWorld.checksum("in a folder, before the backup"))
                .containsEntry("new.txt", SyncWorld.checksum("created after the backup"))
                .containsEntry("later/deeper.txt", SyncWorld.checksum("in a folder created after the backup"))
                .containsEntry("edited.txt", SyncWorld.checksum("edited after the backup: the new text"))
                .containsEntry("docs/new-name.txt", SyncWorld.checksum("renamed after the backup"));
        assertThat(service.missingChunks()).isEmpty();

        // A cursor handed out after the restore goes on: it lists exactly what changed after it.
        String cursorAfterRestore = fullListingCursor(laptop);
        laptop.stop();
        phone.stop();
        laptop.sdk.commit(CommitRequest.newBuilder().setWorkspaceId(laptop.workspaceId)
                .addItems(CommitItem.newBuilder().setTempId("f").setVersion(1).setStatus(ItemStatus.ITEM_STATUS_NEW)
                        .setName("after-restore").setIsFolder(true))
                .build());
        GetChangesResponse next = laptop.sdk.getChanges(GetChangesRequest.newBuilder()
                .setWorkspaceId(laptop.workspaceId).setCursor(cursorAfterRestore).build());
        assertThat(next.getItemsList()).singleElement()
                .satisfies(item -> assertThat(item.getName()).isEqualTo("after-restore"));
    }

    /** The final cursor of a full listing, as a device holds it between listings. */
    private static String fullListingCursor(Device device) {
        String cursor = "";
        while (true) {
            GetChangesResponse page = device.sdk.getChanges(GetChangesRequest.newBuilder()
                    .setWorkspaceId(device.workspaceId).setCursor(cursor).build());
            cursor = page.getNextCursor();
            if (!page.getHasMore()) {
                return cursor;
            }
        }
    }
}
