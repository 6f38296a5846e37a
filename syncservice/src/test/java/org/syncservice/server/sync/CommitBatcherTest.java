package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
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
import org.syncservice.server.core.BatchObserver;
import org.syncservice.server.core.Principal;

/** The batcher that merges the commits of concurrent threads into groups and answers each commit. */
class CommitBatcherTest {
    private static final Principal CALLER = new Principal(UUID.randomUUID(), UUID.randomUUID());

    @Test
    void twoGroupsRunAtOnceAndWhatArrivesMeanwhileFormsTheNextGroupWithEachThreadGettingItsOwnAnswers()
            throws Exception {
        AtomicInteger serving = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<Integer> groupSizes = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch twoGroupsStarted = new CountDownLatch(CommitBatcher.MOST_GROUPS_AT_ONCE);
        CountDownLatch othersHandedIn = new CountDownLatch(1);
        List<Integer> observedSizes = java.util.Collections.synchronizedList(new ArrayList<>());
        BatchObserver observer = new BatchObserver() {
            @Override
            public void commitGroupServed(int commits) {
                observedSizes.add(commits);
            }

            @Override
            public void outboxPassPublished(int notifications) {
            }
        };
        CommitBatcher lane = new CommitBatcher(calls -> {
            mostAtOnce.accumulateAndGet(serving.incrementAndGet(), Math::max);
            groupSizes.add(calls.size());
            twoGroupsStarted.countDown();
            await(othersHandedIn);
            List<CommitAnswer> answers = new ArrayList<>();
            for (CommitCall call : calls) {
                // Each answer carries its call's request id, so a mix-up shows.
                answers.add(new CommitAnswer(new CommitResult(List.of(), Long.parseLong(call.requestId())), null));
            }
            serving.decrementAndGet();
            return answers;
        }, observer);
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            List<Future<List<CommitAnswer>>> results = new ArrayList<>();
            results.add(threads.submit(() -> submit(lane, calls(0, 2))));
            results.add(threads.submit(() -> submit(lane, calls(10, 3))));
            assertThat(twoGroupsStarted.await(10, TimeUnit.SECONDS)).isTrue();
            for (int t = 2; t < 5; t++) {
                int first = t * 10;
                results.add(threads.submit(() -> submit(lane, calls(first, 3))));
            }
            TimeUnit.MILLISECONDS.sleep(300); // the three threads are waiting behind the two groups
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
        assertThat(mostAtOnce.get()).as("groups served at once").isEqualTo(CommitBatcher.MOST_GROUPS_AT_ONCE);
        assertThat(groupSizes).containsExactlyInAnyOrder(2, 3, 9);
        assertThat(observedSizes).as("sizes told to the metrics").containsExactlyInAnyOrder(2, 3, 9);
    }

    @Test
    void aFailingGroupAnswersEachOfItsCallsWithTheFailure() {
        IllegalStateException failure = new IllegalStateException("boom");
        CommitBatcher lane = new CommitBatcher(calls -> {
            throw failure;
        }, BatchObserver.NONE);

        List<CommitAnswer> answers = submit(lane, calls(0, 3));

        assertThat(answers).hasSize(3).allSatisfy(answer -> assertThat(answer.failure()).isSameAs(failure));
    }

    @Test
    void groupsThatThrowAnErrorAreAnsweredAndTheBatcherServesOn() {
        // More failing groups than may run at once: each must give its place back.
        AtomicInteger served = new AtomicInteger();
        CommitBatcher lane = new CommitBatcher(calls -> {
            if (served.incrementAndGet() <= CommitBatcher.MOST_GROUPS_AT_ONCE + 1) {
                throw new AssertionError("a bug");
            }
            return calls.stream().map(call -> new CommitAnswer(null, new IllegalStateException("served"))).toList();
        }, BatchObserver.NONE);

        for (int i = 0; i <= CommitBatcher.MOST_GROUPS_AT_ONCE; i++) {
            assertThat(submit(lane, calls(0, 2))).hasSize(2)
                    .allSatisfy(answer -> assertThat(answer.failure()).hasCauseInstanceOf(AssertionError.class));
        }
        List<CommitAnswer> after = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> submit(lane, calls(0, 1)));
        assertThat(after).singleElement().satisfies(answer -> assertThat(answer.failure()).hasMessage("served"));
    }

    @Test
    void aGroupOfManyChangesIsServedAsTwoTransactionsAtOnceWithEachWorkspaceInOne() throws Exception {
        List<List<CommitCall>> parts = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch bothStarted = new CountDownLatch(2);
        CommitBatcher lane = new CommitBatcher(calls -> {
            parts.add(calls);
            bothStarted.countDown();
            await(bothStarted);
            List<CommitAnswer> answers = new ArrayList<>();
            for (CommitCall call : calls) {
                answers.add(new CommitAnswer(new CommitResult(List.of(), Long.parseLong(call.requestId())), null));
            }
            return answers;
        }, BatchObserver.NONE);
        UUID busy = UUID.randomUUID();
        List<CommitCall> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // Every other call is in one workspace: those must stay together, in their order.
            UUID workspace = i % 2 == 0 ? busy : UUID.randomUUID();
            calls.add(new CommitCall(CALLER, workspace, Integer.toString(i), new byte[32],
                    changes(CommitBatcher.SPLIT_AT_ITEMS / 4)));
        }

        List<CommitAnswer> answers = submit(lane, calls);

        assertThat(bothStarted.getCount()).as("both parts ran at once").isZero();
        assertThat(answers).extracting(a -> a.result().changeSeq()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(parts).hasSize(2);
        List<CommitCall> withBusy = parts.stream().filter(part -> part.get(0).workspaceId().equals(busy))
                .findFirst().orElseThrow();
        assertThat(withBusy).filteredOn(call -> call.workspaceId().equals(busy)).extracting(CommitCall::requestId)
                .containsExactly("0", "2", "4");
    }

    @Test
    void aGroupOfFewChangesIsOneTransaction() {
        List<Integer> parts = java.util.Collections.synchronizedList(new ArrayList<>());
        CommitBatcher lane = new CommitBatcher(calls -> {
            parts.add(calls.size());
            List<CommitAnswer> answers = new ArrayList<>();
            calls.forEach(call -> answers.add(new CommitAnswer(new CommitResult(List.of(), 1), null)));
            return answers;
        }, BatchObserver.NONE);
        List<CommitCall> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(new CommitCall(CALLER, UUID.randomUUID(), Integer.toString(i), new byte[32], changes(4)));
        }

        assertThat(submit(lane, calls)).hasSize(6);
        assertThat(parts).containsExactly(6);
    }

    /** Submits the calls and returns the answer each was completed with, in order. */
    private static List<CommitAnswer> submit(CommitBatcher batcher, List<CommitCall> calls) {
        List<CommitAnswer[]> answers = new ArrayList<>();
        List<PendingCommit> pending = new ArrayList<>();
        for (CommitCall call : calls) {
            CommitAnswer[] answer = new CommitAnswer[1];
            answers.add(answer);
            pending.add(new PendingCommit(call, new CommitCompletion() {
                @Override
                public void committed(CommitResult result) {
                    assertThat(answer[0]).as("answered once").isNull();
                    answer[0] = CommitAnswer.of(result);
                }

                @Override
                public void failed(RuntimeException failure) {
                    assertThat(answer[0]).as("answered once").isNull();
                    answer[0] = CommitAnswer.failed(failure);
                }
            }));
        }
        batcher.submit(pending);
        return answers.stream().map(answer -> {
            assertThat(answer[0]).as("every commit answered when submit returns").isNotNull();
            return answer[0];
        }).toList();
    }

    @Test
    void aCompletionThatThrowsLeavesTheOthersAnsweredAndTheBatcherServing() {
        CommitBatcher batcher = new CommitBatcher(calls -> calls.stream()
                .map(call -> CommitAnswer.of(new CommitResult(List.of(), Long.parseLong(call.requestId())))).toList(),
                BatchObserver.NONE);
        List<Long> answered = java.util.Collections.synchronizedList(new ArrayList<>());
        List<PendingCommit> pending = new ArrayList<>();
        for (CommitCall call : calls(0, 3)) {
            pending.add(new PendingCommit(call, new CommitCompletion() {
                @Override
                public void committed(CommitResult result) {
                    if (result.changeSeq() == 0) {
                        throw new IllegalStateException("a broken completion");
                    }
                    answered.add(result.changeSeq());
                }

                @Override
                public void failed(RuntimeException failure) {
                    throw new AssertionError("not a failure", failure);
                }
            }));
        }

        batcher.submit(pending);

        assertThat(answered).containsExactly(1L, 2L);
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> submit(batcher, calls(5, 1))))
                .singleElement().satisfies(answer -> assertThat(answer.result().changeSeq()).isEqualTo(5));
    }

    private static List<ItemChange> changes(int count) {
        List<ItemChange> changes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            changes.add(new ItemChange(0, "f" + i, 0, "", 1, ItemStatus.NEW, "f" + i + ".txt", "text/plain", false,
                    "sha256:00", 5, 0, List.of()));
        }
        return changes;
    }

    private static List<CommitCall> calls(int first, int count) {
        List<CommitCall> calls = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            calls.add(new CommitCall(CALLER, UUID.randomUUID(), Integer.toString(i), new byte[32], List.of()));
        }
        return calls;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
