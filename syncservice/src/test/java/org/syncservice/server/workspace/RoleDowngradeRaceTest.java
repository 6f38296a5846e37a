package org.syncservice.server.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ListWorkspacesRequest;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.server.core.MemberRole;
import org.syncservice.server.core.Principal;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * A member's downgrade to READER racing their commits, through the whole stack (commits batched as
 * the service batches them): each commit lands before the downgrade (its change_seq is at most the
 * workspace's sequence number when the role changed) or is refused with PERMISSION_DENIED; none is
 * stored after it. A failure names its seed; -Dsyncservice.test.roleRaceSeed=N replays it and
 * -Dsyncservice.test.roleRaceRounds=N sets the rounds (CI: 40, a few seconds; a long run:
 * -Dsyncservice.test.roleRaceRounds=2000).
 */
class RoleDowngradeRaceTest {
    private static final int ROUNDS = Integer.getInteger("syncservice.test.roleRaceRounds", 40);
    private static final int WRITERS = 3;
    private static RunningService service;
    private static SyncFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start();
        fixture = new SyncFixture(service);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        service.close();
    }

    @Test
    void aCommitRacingADowngradeLandsBeforeItOrIsRefusedNeverAfter() throws Exception {
        long seed = Long.getLong("syncservice.test.roleRaceSeed", new Random().nextLong());
        try {
            race(new Random(seed));
        } catch (AssertionError | Exception e) {
            throw new AssertionError("the role downgrade race failed with seed " + seed
                    + "; replay it with -Dsyncservice.test.roleRaceSeed=" + seed, e);
        }
    }

    private record Answer(CommitItemResult result, SyncServiceException failure) {
    }

    private void race(Random random) throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice bob = fixture.newUser("Bob");
        List<SyncDevice> bobsDevices = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            bobsDevices.add(fixture.anotherDevice(bob, "device-" + i));
        }
        Item folder = ann.create(newFolder("f", "Shared"));
        UUID workspaceId = UUID.fromString(ann.client().shareFolder(ShareFolderRequest.newBuilder()
                .setWorkspaceId(ann.workspace()).setFolderId(folder.getItemId())
                .addEmails(bob.credentials().email()).build()).getWorkspace().getWorkspaceId());
        Principal owner = new Principal(ann.credentials().userId(), UUID.fromString(ann.deviceId()));
        RoleService roles = service.service().components().roles();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        int landed = 0;
        int refused = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                roles.changeRole(owner, workspaceId, bob.credentials().email(), null, MemberRole.WRITER);
                CyclicBarrier barrier = new CyclicBarrier(WRITERS + 1);
                List<Future<Answer>> commits = new ArrayList<>();
                for (int i = 0; i < WRITERS; i++) {
                    SyncDevice device = bobsDevices.get(i);
                    int delayMicros = random.nextInt(2_000);
                    String name = "r" + round + "-d" + i + ".txt";
                    commits.add(pool.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        spin(delayMicros);
                        try {
                            return new Answer(device.client().commit(CommitRequest.newBuilder()
                                    .setWorkspaceId(workspaceId.toString()).addItems(newFile("t", name, 1)).build())
                                    .getResults(0), null);
                        } catch (SyncServiceException e) {
                            return new Answer(null, e);
                        }
                    }));
                }
                int downgradeDelayMicros = random.nextInt(8_000);
                Future<RoleStore.RoleChange> downgrade = pool.submit(() -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    spin(downgradeDelayMicros);
                    return roles.changeRole(owner, workspaceId, bob.credentials().email(), null, MemberRole.READER);
                });
                long atChangeSeq = downgrade.get(30, TimeUnit.SECONDS).atChangeSeq();
                for (Future<Answer> commit : commits) {
                    Answer answer = commit.get(30, TimeUnit.SECONDS);
                    if (answer.failure() == null) {
                        assertThat(answer.result().getOutcome()).as("round %d", round)
                                .isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
                        assertThat(answer.result().getCurrent().getChangeSeq())
                                .as("round %d: a commit that passed landed before the downgrade at %d", round,
                                        atChangeSeq).isLessThanOrEqualTo(atChangeSeq);
                        landed++;
                    } else {
                        assertThat(answer.failure().code()).as("round %d: %s", round, answer.failure())
                                .isEqualTo(ErrorCode.ERROR_CODE_PERMISSION_DENIED);
                        assertThat(answer.failure().getMessage()).contains("you are a READER of this workspace");
                        refused++;
                    }
                }
                assertThat(latestChangeSeq(ann, workspaceId)).as("round %d: nothing stored after the downgrade",
                        round).isEqualTo(atChangeSeq);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("role downgrade race: " + landed + " commits landed before the downgrade, " + refused
                + " refused, over " + ROUNDS + " rounds");
        assertThat(landed + refused).isEqualTo(ROUNDS * WRITERS);
    }

    private static long latestChangeSeq(SyncDevice user, UUID workspaceId) {
        return user.client().listWorkspaces(ListWorkspacesRequest.getDefaultInstance()).getWorkspacesList().stream()
                .filter(w -> w.getWorkspaceId().equals(workspaceId.toString())).findFirst().orElseThrow()
                .getLatestChangeSeq();
    }

    private static void spin(int micros) {
        long until = System.nanoTime() + micros * 1_000L;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
