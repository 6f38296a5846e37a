package org.syncservice.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.CommitItems.newFile;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ListWorkspacesRequest;

/**
 * Commits of a member's devices racing a change that takes the member's writing away (a downgrade,
 * a removal), round after round with random delays: each commit lands before the change (its
 * change_seq at most the workspace's sequence number when the change took effect) or is refused;
 * none is stored after it. Not thread-safe: one race at a time.
 */
public final class CommitRace {
    private static final int PATIENCE_SECONDS = 30;

    /** What one round does besides the commits. */
    public interface Rounds {
        /** Gives the member their writing back before the round. */
        void before(int round) throws Exception;

        /** Takes it away; returns the workspace's change_seq when that took effect. */
        long change() throws Exception;
    }

    /** How many commits landed and how many were refused, over every round. */
    public record Tally(int landed, int refused) {
    }

    private record Answer(CommitItemResult result, SyncServiceException failure) {
    }

    private final List<SyncDevice> writers;
    private final UUID workspaceId;
    private final SyncDevice owner;

    /** @param owner reads the workspace's sequence number (a member throughout) */
    public CommitRace(List<SyncDevice> writers, UUID workspaceId, SyncDevice owner) {
        this.writers = List.copyOf(writers);
        this.workspaceId = workspaceId;
        this.owner = owner;
    }

    /** The user's devices that will race: {@code count} more of them. */
    public static List<SyncDevice> writers(SyncFixture fixture, SyncDevice user, int count) {
        List<SyncDevice> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            devices.add(fixture.anotherDevice(user, "device-" + i));
        }
        return devices;
    }

    /** @param refusal checks a refused commit's error */
    public Tally run(Random random, int rounds, Rounds change, Consumer<SyncServiceException> refusal)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers.size() + 1);
        int landed = 0;
        int refused = 0;
        try {
            for (int round = 0; round < rounds; round++) {
                change.before(round);
                CyclicBarrier barrier = new CyclicBarrier(writers.size() + 1);
                List<Future<Answer>> commits = new ArrayList<>();
                for (int i = 0; i < writers.size(); i++) {
                    SyncDevice device = writers.get(i);
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
                int changeDelayMicros = random.nextInt(8_000);
                Callable<Long> delayed = () -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    spin(changeDelayMicros);
                    return change.change();
                };
                long atChangeSeq = pool.submit(delayed).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
                for (Future<Answer> commit : commits) {
                    Answer answer = commit.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
                    if (answer.failure() == null) {
                        assertThat(answer.result().getOutcome()).as("round %d", round)
                                .isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
                        assertThat(answer.result().getCurrent().getChangeSeq())
                                .as("round %d: a commit that passed landed before the change at %d", round,
                                        atChangeSeq).isLessThanOrEqualTo(atChangeSeq);
                        landed++;
                    } else {
                        refusal.accept(answer.failure());
                        refused++;
                    }
                }
                assertThat(latestChangeSeq()).as("round %d: nothing stored after the change", round)
                        .isEqualTo(atChangeSeq);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(landed + refused).isEqualTo(rounds * writers.size());
        return new Tally(landed, refused);
    }

    /** The workspace's latest change_seq, as the owner sees it. */
    private long latestChangeSeq() {
        return owner.client().listWorkspaces(ListWorkspacesRequest.getDefaultInstance()).getWorkspacesList().stream()
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
