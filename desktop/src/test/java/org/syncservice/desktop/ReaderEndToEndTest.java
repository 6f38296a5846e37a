package org.syncservice.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.syncservice.desktop.SyncWorld.Device;
import org.syncservice.desktop.state.StatusReader;
import org.syncservice.desktop.state.StatusReport;
import org.syncservice.protocol.v1.ChangeMemberRoleRequest;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.MemberRole;
import org.syncservice.protocol.v1.ShareFolderRequest;

/**
 * A READER's client downloads what others write and keeps its own edits local, saying why, until
 * the owner makes the reader a writer: then the edits go up.
 */
@ExtendWith(SharedSyncWorld.class)
class ReaderEndToEndTest {
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    static SyncWorld world;

    @BeforeAll
    static void shareTheService(SyncWorld shared) {
        world = shared;
    }

    @Test
    void aReadersEditsStayLocalUntilTheReaderBecomesAWriter() throws Exception {
        String owner = world.newUser();
        String reader = world.newUser();
        Device home = world.device(owner, "owner-home").start();
        Files.createDirectories(home.path("Team"));
        Files.writeString(home.path("Team/plan.txt"), "the plan", StandardCharsets.UTF_8);
        world.awaitConverged(CONVERGE, List.of(home));
        home.stop();
        Item team = home.sdk.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(home.workspaceId).build())
                .getItemsList().stream().filter(i -> i.getName().equals("Team")).findFirst().orElseThrow();
        String shared = home.sdk.shareFolder(ShareFolderRequest.newBuilder().setWorkspaceId(home.workspaceId)
                .setFolderId(team.getItemId()).addEmails(reader).setRole(MemberRole.MEMBER_ROLE_READER).build())
                .getWorkspace().getWorkspaceId();
        Device ownerDevice = world.device(owner, "owner-laptop", shared).start();
        Device readerDevice = world.device(reader, "reader-laptop", shared).start();
        world.awaitConverged(CONVERGE, List.of(ownerDevice, readerDevice));
        assertThat(Files.readString(readerDevice.path("plan.txt"))).isEqualTo("the plan");

        Files.writeString(readerDevice.path("notes.txt"), "the reader's notes", StandardCharsets.UTF_8);
        StatusReport held = awaitHeldBack(readerDevice);
        assertThat(held.blockedReason()).hasValueSatisfying(why -> assertThat(why).contains("READER", "1 local"));
        assertThat(world.serverTree(ownerDevice)).as("nothing of the reader's went up").doesNotContainKey("notes.txt");
        assertThat(Files.readString(readerDevice.path("notes.txt"))).isEqualTo("the reader's notes");
        Files.writeString(ownerDevice.path("plan.txt"), "the plan, v2", StandardCharsets.UTF_8);
        awaitContent(readerDevice, "plan.txt", "the plan, v2");

        ownerDevice.sdk.changeMemberRole(ChangeMemberRoleRequest.newBuilder().setWorkspaceId(shared)
                .setEmail(reader).setRole(MemberRole.MEMBER_ROLE_MEMBER).build());
        var tree = world.awaitConverged(CONVERGE, List.of(ownerDevice, readerDevice));
        assertThat(tree).containsKey("notes.txt");
        assertThat(Files.readString(ownerDevice.path("notes.txt"))).isEqualTo("the reader's notes");
        ownerDevice.stop();
        readerDevice.stop();
    }

    private static StatusReport awaitHeldBack(Device device) throws Exception {
        long until = System.nanoTime() + CONVERGE.toNanos();
        StatusReport status = null;
        while (System.nanoTime() < until) {
            status = StatusReader.read(device.state);
            if (status.blockedReason().isPresent()) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the reader's edit was never reported held back; status " + status);
    }

    private static void awaitContent(Device device, String path, String content) throws Exception {
        long until = System.nanoTime() + CONVERGE.toNanos();
        while (System.nanoTime() < until) {
            if (Files.exists(device.path(path))
                    && Files.readString(device.path(path), StandardCharsets.UTF_8).equals(content)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " never became " + content + " on " + device.name);
    }
}
