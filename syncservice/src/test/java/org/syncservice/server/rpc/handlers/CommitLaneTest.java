package org.syncservice.server.rpc.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.syncservice.server.core.Principal;
import org.syncservice.server.sync.CommitAnswer;
import org.syncservice.server.sync.CommitCall;
import org.syncservice.server.sync.CommitResult;
import org.syncservice.server.sync.ItemChange;
import org.syncservice.server.sync.ItemStatus;

/** The lane that merges the commits of concurrent consumer threads into groups. */
class CommitLaneTest {
    private static final Principal CALLER = new Principal(UUID.randomUUID(), UUID.randomUUID());

    @Test
    void callsHandedInWhileAGroupIsServedFormTheNextGroupAndEachThreadGetsItsOwnAnswers() throws Exception {
        AtomicInteger serving = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<Integer> groupSizes = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstGroupStarted = new CountDownLatch(1);
        CountDownLatch othersHandedIn = new CountDownLatch(1);
        CommitLane lane = new CommitLane(calls -> {
            mostAtOnce.accumulateAndGet(serving.incrementAndGet(), Math::max);
            groupSizes.add(calls.size());
            firstGroupStarted.countDown();
            await(othersHandedIn);
            List<CommitAnswer> answers = new ArrayList<>();
            for (CommitCall call : calls) {
                // Each answer carries its call's request id, so a mix-up shows.
                answers.add(new CommitAnswer(new CommitResult(List.of(), Long.parseLong(call.requestId())), null));
            }
            serving.decrementAndGet();
            return answers;
        });
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            List<Future<List<CommitAnswer>>> results = new ArrayList<>();
            results.add(threads.submit(() -> lane.submit(calls(0, 2))));
            assertThat(firstGroupStarted.await(10, TimeUnit.SECONDS)).isTrue();
            for (int t = 1; t < 5; t++) {
                int first = t * 10;
                results.add(threads.submit(() -> lane.submit(calls(first, 3))));
            }
            TimeUnit.MILLISECONDS.sleep(300); // the four threads are waiting behind the first group
            othersHandedIn.countDown();

            assertThat(results.get(0).get(10, TimeUnit.SECONDS)).extracting(a -> a.result().changeSeq())
                    .containsExactly(0L, 1L);
            for (int t = 1; t < 5; t++) {
                assertThat(results.get(t).get(10, TimeUnit.SECONDS)).extracting(a -> a.result().changeSeq())
                        .containsExactly(t * 10L, t * 10L + 1, t * 10L + 2);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(mostAtOnce.get()).as("groups served at once").isEqualTo(1);
        assertThat(groupSizes).containsExactly(2, 12);
    }

    @Test
    void largeCommitsDoNotWaitForTheGroupBeingServed() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger serving = new AtomicInteger();
        CommitLane lane = new CommitLane(calls -> {
            mostAtOnce.accumulateAndGet(serving.incrementAndGet(), Math::max);
            bothStarted.countDown();
            await(bothStarted); // each group waits until the other one started: they run side by side
            serving.decrementAndGet();
            List<CommitAnswer> answers = new ArrayList<>();
            calls.forEach(call -> answers.add(new CommitAnswer(new CommitResult(List.of(), 1), null)));
            return answers;
        });
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<List<CommitAnswer>> first = threads.submit(() -> lane.submit(largeCalls()));
            Future<List<CommitAnswer>> second = threads.submit(() -> lane.submit(largeCalls()));

            assertThat(first.get(10, TimeUnit.SECONDS)).hasSize(1);
            assertThat(second.get(10, TimeUnit.SECONDS)).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
        assertThat(mostAtOnce.get()).isEqualTo(2);
    }

    @Test
    void aFailingGroupAnswersEachOfItsCallsWithTheFailure() {
        IllegalStateException failure = new IllegalStateException("boom");
        CommitLane lane = new CommitLane(calls -> {
            throw failure;
        });

        List<CommitAnswer> answers = lane.submit(calls(0, 3));

        assertThat(answers).hasSize(3).allSatisfy(answer -> assertThat(answer.failure()).isSameAs(failure));
    }

    private static List<CommitCall> calls(int first, int count) {
        List<CommitCall> calls = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            calls.add(new CommitCall(CALLER, UUID.randomUUID(), Integer.toString(i), new byte[32], List.of()));
        }
        return calls;
    }

    /** One commit of {@link CommitLane#LARGE_GROUP_ITEMS} items. */
    private static List<CommitCall> largeCalls() {
        List<ItemChange> changes = new ArrayList<>();
        for (int i = 0; i < CommitLane.LARGE_GROUP_ITEMS; i++) {
            changes.add(new ItemChange(0, "t" + i, 0, "", 1, ItemStatus.NEW, "f" + i, "", false, "", 0, 0, List.of()));
        }
        return List.of(new CommitCall(CALLER, UUID.randomUUID(), "large", new byte[32], changes));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
