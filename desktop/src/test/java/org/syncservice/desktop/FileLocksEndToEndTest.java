package org.syncservice.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.syncservice.desktop.SyncWorld.Device;
import org.syncservice.desktop.state.StatusReader;
import org.syncservice.desktop.state.StatusReport;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.LockItemRequest;
import org.syncservice.protocol.v1.UnlockItemRequest;

/** Two running clients and a file one of them locks: the other keeps its edit and sends it once the lock goes. */
@ExtendWith(SharedSyncWorld.class)
class FileLocksEndToEndTest {
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    static SyncWorld world;

    @BeforeAll
    static void shareTheService(SyncWorld shared) {
        world = shared;
    }

    @Test
    void anEditOfAFileAnotherDeviceLockedIsHeldBackReportedAndCommittedOnceTheLockGoes() throws Exception {
        String user = world.newUser();
        Device laptop = world.device(user, "laptop").start();
        Device phone = world.device(user, "phone").start();
        Files.writeString(laptop.path("plan.txt"), "first", StandardCharsets.UTF_8);
        world.awaitConverged(CONVERGE, List.of(laptop, phone));
        Item plan = laptop.sdk.getChanges(GetChangesRequest.newBuilder().setWorkspaceId(laptop.workspaceId).build())
                .getItemsList().stream().filter(i -> i.getName().equals("plan.txt")).findFirst().orElseThrow();
        laptop.sdk.lockItem(LockItemRequest.newBuilder().setWorkspaceId(laptop.workspaceId)
                .setItemId(plan.getItemId()).setReason("rewriting").build());

        Files.writeString(phone.path("plan.txt"), "phone's edit", StandardCharsets.UTF_8);
        StatusReport.Problem held = awaitProblem(phone, "plan.txt");
        assertThat(held.reason()).contains("locked", "laptop", "rewriting");
        assertThat(world.serverTree(laptop).get("plan.txt")).as("the service still has the first version")
                .isEqualTo(SyncWorld.checksum("first".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(phone.path("plan.txt"))).as("the local edit is kept").isEqualTo("phone's edit");

        laptop.sdk.unlockItem(UnlockItemRequest.newBuilder().setWorkspaceId(laptop.workspaceId)
                .setItemId(plan.getItemId()).build());
        var tree = world.awaitConverged(CONVERGE, List.of(laptop, phone));
        assertThat(tree.get("plan.txt")).isEqualTo(SyncWorld.checksum("phone's edit".getBytes(StandardCharsets.UTF_8)));
        assertThat(StatusReader.read(phone.state).problems()).isEmpty();
        laptop.stop();
        phone.stop();
    }

    private static StatusReport.Problem awaitProblem(Device device, String path) throws Exception {
        long until = System.nanoTime() + CONVERGE.toNanos();
        while (System.nanoTime() < until) {
            var found = StatusReader.read(device.state).problems().stream().filter(p -> p.path().equals(path))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " was never reported held back on " + device.name);
    }
}
