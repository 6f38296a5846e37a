package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The commit rules where a batch's earlier items change what its later items see: names freed
 * and taken, folders created, moved and deleted within one request.
 */
class CommitEvaluatorTest {
    private static final UUID DEVICE = UUID.randomUUID();
    private final InMemoryWorkspace workspace = new InMemoryWorkspace(1_000_000);
    private StoredChunkSizes stored = StoredChunkSizes.UNCHECKED;
    private boolean releaseLocks;

    private List<ItemResult> commit(ItemChange... changes) {
        long news = List.of(changes).stream().filter(c -> c.status() == ItemStatus.NEW).count();
        CommitEvaluator evaluator = new CommitEvaluator(workspace, new ItemNames(255),
                new ChangeLimits(100, 1L << 40, Pattern.compile("[A-Za-z0-9_-]{8,128}")), DEVICE, 42,
                workspace.allocateItemIds((int) news), stored, releaseLocks);
        evaluator.evaluate(List.of(changes));
        workspace.apply(evaluator.plan("r", "commit", new byte[0]));
        return evaluator.results();
    }

    private CommitPlan lastPlan() {
        return workspace.applied.get(workspace.applied.size() - 1);
    }

    private static ItemChange newFolder(String tempId, long parentId, String parentTempId, String name) {
        return new ItemChange(0, tempId, parentId, parentTempId, 1, ItemStatus.NEW, name, "", true, "", 0, 0, List.of());
    }

    private static ItemChange newFile(String tempId, long parentId, String parentTempId, String name, long size) {
        return new ItemChange(0, tempId, parentId, parentTempId, 1, ItemStatus.NEW, name, "text/plain", false,
                "sha256:" + tempId, size, 0, List.of("chunk-" + tempId + "-0001"));
    }

    private static ItemChange rename(ItemVersion item, String name) {
        return new ItemChange(item.itemId(), "", item.parentId(), "", item.version() + 1, ItemStatus.RENAMED, name,
                item.mimeType(), item.folder(), item.checksum(), item.size(), 0, item.chunks());
    }

    private static ItemChange move(ItemVersion item, long parentId, String parentTempId) {
        return new ItemChange(item.itemId(), "", parentId, parentTempId, item.version() + 1, ItemStatus.MOVED,
                item.name(), item.mimeType(), item.folder(), item.checksum(), item.size(), 0, item.chunks());
    }

    private static ItemChange delete(ItemVersion item) {
        return new ItemChange(item.itemId(), "", item.parentId(), "", item.version() + 1, ItemStatus.DELETED,
                item.name(), "", item.folder(), "", 0, 0, List.of());
    }

    @Test
    void aNameGivenUpEarlierInTheBatchCanBeTakenLaterInIt() {
        ItemVersion report = workspace.put(1, 0, "report.txt", false, 1, 10);

        List<ItemResult> results = commit(rename(report, "old-report.txt"), newFile("n", 0, "", "report.txt", 5));

        assertThat(results).extracting(ItemResult::outcome)
                .containsExactly(CommitOutcome.COMMITTED, CommitOutcome.COMMITTED);
    }

    @Test
    void swappingTwoNamesDirectlyIsRefusedBecauseEachNameIsStillHeld() {
        ItemVersion a = workspace.put(1, 0, "a", false, 1, 1);
        ItemVersion b = workspace.put(2, 0, "b", false, 1, 1);

        List<ItemResult> results = commit(rename(a, "b"), rename(b, "a"));

        assertThat(results).extracting(ItemResult::reason)
                .containsExactly(RejectReason.NAME_TAKEN, RejectReason.NAME_TAKEN);
        assertThat(results.get(0).current().itemId()).isEqualTo(2);
        assertThat(results.get(1).current().itemId()).isEqualTo(1);
    }

    @Test
    void swappingTwoNamesThroughASpareNameWorksInOneBatch() {
        ItemVersion a = workspace.put(1, 0, "a", false, 1, 1);
        ItemVersion b = workspace.put(2, 0, "b", false, 1, 1);
        ItemVersion aAsSpare = new ItemVersion(1, a.workspaceId(), 0, "spare", false, 2, ItemStatus.RENAMED, "",
                a.checksum(), a.size(), 0, a.chunks(), 0, null, 0);

        List<ItemResult> results = commit(rename(a, "spare"), rename(b, "a"), rename(aAsSpare, "b"));

        assertThat(results).extracting(ItemResult::outcome).containsOnly(CommitOutcome.COMMITTED);
        assertThat(results.get(2).current().name()).isEqualTo("b");
        assertThat(results.get(2).current().version()).isEqualTo(3);
    }

    @Test
    void aNewNameThatClashesWithAnotherNewItemOfTheBatchIsTaken() {
        List<ItemResult> results = commit(newFile("x", 0, "", "Notes.md", 1), newFile("y", 0, "", "NOTES.md", 2));

        assertThat(results.get(1).reason()).isEqualTo(RejectReason.NAME_TAKEN);
        assertThat(results.get(1).current().itemId()).isEqualTo(results.get(0).current().itemId());
    }

    @Test
    void anExistingItemCanMoveIntoAFolderTheBatchCreates() {
        ItemVersion file = workspace.put(1, 0, "photo.jpg", false, 1, 10);

        List<ItemResult> results = commit(newFolder("album", 0, "", "Album"), move(file, 0, "album"));

        assertThat(results.get(1).outcome()).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(results.get(1).current().parentId()).isEqualTo(results.get(0).current().itemId());
        assertThat(lastPlan().writes().get(1).depth()).isEqualTo(1);
    }

    @Test
    void nothingCanBeCreatedInAFolderDeletedEarlierInTheBatch() {
        ItemVersion folder = workspace.put(1, 0, "old", true, 1, 0);
        ItemVersion sub = workspace.put(2, 1, "sub", true, 1, 0);

        List<ItemResult> results = commit(delete(folder), newFile("f", sub.itemId(), "", "late.txt", 1));

        assertThat(results.get(0).outcome()).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(results.get(1).reason()).isEqualTo(RejectReason.INVALID_PARENT);
        assertThat(lastPlan().deletedFolders()).containsExactly(1L);
    }

    @Test
    void anItemUnderAFolderDeletedEarlierInTheBatchCannotChange() {
        ItemVersion folder = workspace.put(1, 0, "old", true, 1, 0);
        ItemVersion file = workspace.put(2, 1, "in.txt", false, 1, 3);

        List<ItemResult> results = commit(delete(folder), rename(file, "out.txt"));

        assertThat(results.get(1).reason()).isEqualTo(RejectReason.INVALID_STATUS);
    }

    @Test
    void movingAFolderUnderItsOwnChildIsACycleEvenWhenTheChildMovedInTheSameBatch() {
        ItemVersion top = workspace.put(1, 0, "top", true, 1, 0);
        ItemVersion other = workspace.put(2, 0, "other", true, 1, 0);
        ItemVersion child = workspace.put(3, 2, "child", true, 1, 0);

        List<ItemResult> results = commit(move(other, top.itemId(), ""), move(top, child.itemId(), ""));

        assertThat(results.get(0).outcome()).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(results.get(1).reason()).isEqualTo(RejectReason.CYCLE);
    }

    @Test
    void aMovedFolderIsListedForItsDescendantsDepthsToFollow() {
        ItemVersion a = workspace.put(1, 0, "a", true, 1, 0);
        ItemVersion b = workspace.put(2, 0, "b", true, 1, 0);

        commit(move(b, a.itemId(), ""));

        assertThat(lastPlan().movedFolders()).containsExactly(2L);
        assertThat(lastPlan().writes().get(0).depth()).isEqualTo(1);
    }

    @Test
    void aNewItemWithTheContentOfTheItemHoldingItsNameIsAlreadyCommittedAndCanParentLaterItems() {
        ItemVersion folder = workspace.put(1, 0, "Photos", true, 1, 0);

        List<ItemResult> results = commit(newFolder("p", 0, "", "photos"), newFile("f", 0, "p", "cat.jpg", 4));

        assertThat(results.get(0).outcome()).isEqualTo(CommitOutcome.ALREADY_COMMITTED);
        assertThat(results.get(0).itemId()).isEqualTo(folder.itemId());
        assertThat(results.get(1).current().parentId()).isEqualTo(folder.itemId());
    }

    @Test
    void quotaIsCheckedAgainstTheBatchSoFar() {
        InMemoryWorkspace small = new InMemoryWorkspace(100);
        CommitEvaluator evaluator = new CommitEvaluator(small, new ItemNames(255),
                new ChangeLimits(100, 1L << 40, Pattern.compile("[A-Za-z0-9_-]{8,128}")), DEVICE, 42,
                small.allocateItemIds(3), StoredChunkSizes.UNCHECKED, false);

        evaluator.evaluate(List.of(newFile("a", 0, "", "a", 60), newFile("b", 0, "", "b", 60),
                newFile("c", 0, "", "c", 40)));

        assertThat(evaluator.results()).extracting(ItemResult::outcome).containsExactly(
                CommitOutcome.COMMITTED, CommitOutcome.REJECTED, CommitOutcome.COMMITTED);
        assertThat(evaluator.results().get(1).reason()).isEqualTo(RejectReason.QUOTA_EXCEEDED);
        assertThat(evaluator.plan("r", "commit", new byte[0]).quotaDeltaBytes()).isEqualTo(100);
    }

    @Test
    void aFileNamingAChunkMissingFromStorageIsRejectedAndTheOthersGoOn() {
        stored = StoredChunkSizes.of(java.util.Map.of("chunk-b-0001", 1L));

        List<ItemResult> results = commit(newFile("a", 0, "", "a.txt", 1), newFile("b", 0, "", "b.txt", 1));

        assertThat(results.get(0).reason()).isEqualTo(RejectReason.CHUNKS_MISSING);
        assertThat(results.get(0).message()).contains("chunk-a-0001");
        assertThat(results.get(1).outcome()).isEqualTo(CommitOutcome.COMMITTED);
    }

    /**
     * Quota charges the declared size; checked, it must be what the chunks hold in storage, or a
     * 50 MiB upload could be committed (and charged) as a 16-byte file.
     */
    @Test
    void aFileWhoseStoredChunksHoldAnotherSizeThanItDeclaresIsRejectedAndChargesNothing() {
        stored = StoredChunkSizes.of(java.util.Map.of("chunk-a-0001", 50L << 20, "chunk-b-0001", 16L));

        List<ItemResult> results = commit(newFile("a", 0, "", "a.txt", 16), newFile("b", 0, "", "b.txt", 16));

        assertThat(results.get(0).outcome()).isEqualTo(CommitOutcome.REJECTED);
        assertThat(results.get(0).reason()).isEqualTo(RejectReason.INVALID_FIELD);
        assertThat(results.get(0).message()).contains("16", Long.toString(50L << 20));
        assertThat(results.get(1).outcome()).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(lastPlan().quotaDeltaBytes()).isEqualTo(16);
    }

    /** A file may repeat a chunk (repeated content): each occurrence counts. */
    @Test
    void aChunkNamedTwiceByAFileCountsTwiceAgainstItsSize() {
        stored = StoredChunkSizes.of(java.util.Map.of("chunk-z-0001", 10L));
        ItemChange twice = new ItemChange(0, "z", 0, "", 1, ItemStatus.NEW, "z.bin", "application/octet-stream",
                false, "sha256:z", 20, 0, List.of("chunk-z-0001", "chunk-z-0001"));

        assertThat(commit(twice).get(0).outcome()).isEqualTo(CommitOutcome.COMMITTED);
    }

    @Test
    void aBatchThatStoresNothingTakesNoSequenceNumber() {
        ItemVersion file = workspace.put(1, 0, "f", false, 3, 1);

        commit(rename(workspace.put(2, 0, "g", false, 1, 1), "f"));

        assertThat(lastPlan().changeSeq()).isZero();
        assertThat(file.version()).isEqualTo(3);
    }

    @Test
    void everyStoredVersionOfOneCommitSharesTheNextSequenceNumber() {
        ItemVersion a = workspace.put(1, 0, "a", false, 1, 1);
        long before = workspace.workspace().latestChangeSeq();

        commit(rename(a, "a2"), newFile("n", 0, "", "n", 1));

        assertThat(lastPlan().changeSeq()).isEqualTo(before + 1);
        assertThat(lastPlan().writes()).allSatisfy(w -> assertThat(w.state().changeSeq()).isEqualTo(before + 1));
    }

    @Test
    void aRenameGivingOnlyTheNameKeepsTheContentAnEarlierItemOfTheBatchGave() {
        ItemVersion file = workspace.put(1, 0, "a.txt", false, 1, 10);
        ItemChange change = new ItemChange(1, "", 0, "", 2, ItemStatus.CHANGED, "a.txt", "text/plain", false,
                "sha256:new", 20, 0, List.of("chunk-new-0001"));
        ItemChange bareRename = new ItemChange(1, "", 0, "", 3, ItemStatus.RENAMED, "b.txt", "", false, "", 0, 0,
                List.of());

        List<ItemResult> results = commit(change, bareRename);

        assertThat(results).extracting(ItemResult::outcome).containsOnly(CommitOutcome.COMMITTED);
        ItemVersion renamed = lastPlan().writes().get(1).state();
        assertThat(renamed.checksum()).isEqualTo("sha256:new").isNotEqualTo(file.checksum());
        assertThat(renamed.size()).isEqualTo(20);
        assertThat(renamed.chunks()).containsExactly("chunk-new-0001");
        assertThat(renamed.mimeType()).isEqualTo("text/plain");
    }

    @Test
    void aRestoreMayBringBackAnotherNameAndOtherContentAtOnce() {
        ItemVersion v1 = workspace.put(1, 0, "old.txt", false, 1, 10);
        ItemVersion v2 = workspace.put(1, 0, "new.txt", false, 2, 20);
        ItemChange restore = new ItemChange(1, "", 0, "", 3, ItemStatus.RENAMED, v1.name(), v1.mimeType(), false,
                v1.checksum(), v1.size(), v1.modifiedAtMs(), List.of("chunk-old-0001"));
        CommitEvaluator evaluator = new CommitEvaluator(workspace, new ItemNames(255),
                new ChangeLimits(100, 1L << 40, Pattern.compile("[A-Za-z0-9_-]{8,128}")), DEVICE, 42, new long[0],
                StoredChunkSizes.UNCHECKED, false);

        ItemResult result = evaluator.evaluateRestore(restore);

        assertThat(result.outcome()).as("%s", result).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(result.current().name()).isEqualTo("old.txt");
        assertThat(result.current().size()).isEqualTo(10).isNotEqualTo(v2.size());
    }

    private static final UUID OTHER_DEVICE = UUID.randomUUID();

    /** A lock on the item by a device, expiring at {@code expiresAtMs} (the commits here run at 42). */
    private void lock(ItemVersion item, UUID device, long expiresAtMs) {
        workspace.lock(new ItemLock(item.itemId(), InMemoryWorkspace.WORKSPACE, InMemoryWorkspace.OWNER, device,
                "Ann", "laptop", "editing", 1, expiresAtMs));
    }

    private static ItemChange change(ItemVersion item) {
        return new ItemChange(item.itemId(), "", item.parentId(), "", item.version() + 1, ItemStatus.CHANGED,
                item.name(), "text/plain", false, "sha256:new", 7, 0, List.of("chunk-new-0001"));
    }

    @Test
    void aFileLockedByAnotherDeviceIsRejectedAsLockedNamingTheHolderAndNothingIsStored() {
        ItemVersion file = workspace.put(1, 0, "plan.odt", false, 1, 10);
        lock(file, OTHER_DEVICE, 1_000);

        for (ItemChange change : List.of(change(file), rename(file, "plan2.odt"), move(file, 0, ""), delete(file))) {
            ItemResult result = commit(change).get(0);
            assertThat(result.outcome()).as(change.status().name()).isEqualTo(CommitOutcome.REJECTED);
            assertThat(result.reason()).isEqualTo(RejectReason.LOCKED);
            assertThat(result.lock().holderDeviceId()).isEqualTo(OTHER_DEVICE);
            assertThat(result.message()).contains("Ann on laptop", "editing");
            assertThat(result.current()).isEqualTo(file);
            assertThat(lastPlan().writes()).isEmpty();
        }
    }

    @Test
    void theHoldersCommitPassesAndKeepsItsLockUnlessItAsksToReleaseIt() {
        ItemVersion file = workspace.put(1, 0, "plan.odt", false, 1, 10);
        lock(file, DEVICE, 1_000);

        assertThat(commit(change(file)).get(0).outcome()).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(lastPlan().endedLocks()).isEmpty();

        releaseLocks = true;
        assertThat(commit(change(workspace.item(1).orElseThrow())).get(0).outcome())
                .isEqualTo(CommitOutcome.COMMITTED);
        assertThat(lastPlan().endedLocks()).extracting(EndedLock::end).containsExactly(LockEnd.RELEASED);
    }

    @Test
    void anExpiredLockStopsCounting() {
        ItemVersion file = workspace.put(1, 0, "plan.odt", false, 1, 10);
        lock(file, OTHER_DEVICE, 42);

        assertThat(commit(change(file)).get(0).outcome()).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(lastPlan().endedLocks()).isEmpty();
    }

    @Test
    void aFolderHoldingAFileLockedByAnotherDeviceCannotBeDeletedButCanBeRenamedAndMoved() {
        ItemVersion folder = workspace.put(1, 0, "docs", true, 1, 0);
        ItemVersion inner = workspace.put(2, 1, "inner", true, 1, 0);
        ItemVersion file = workspace.put(3, inner.itemId(), "plan.odt", false, 1, 10);
        ItemVersion elsewhere = workspace.put(4, 0, "elsewhere", true, 1, 0);
        lock(file, OTHER_DEVICE, 1_000);

        ItemResult deleted = commit(delete(folder)).get(0);
        assertThat(deleted.reason()).isEqualTo(RejectReason.LOCKED);
        assertThat(deleted.message()).contains("file 3 in this folder");
        assertThat(commit(rename(folder, "papers")).get(0).outcome()).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(commit(move(workspace.item(1).orElseThrow(), elsewhere.itemId(), "")).get(0).outcome())
                .isEqualTo(CommitOutcome.COMMITTED);
    }

    @Test
    void theHolderDeletingTheFileOrAFolderAboveItEndsItsLocksAsDeleted() {
        ItemVersion folder = workspace.put(1, 0, "docs", true, 1, 0);
        ItemVersion a = workspace.put(2, 1, "a.odt", false, 1, 10);
        ItemVersion b = workspace.put(3, 0, "b.odt", false, 1, 10);
        lock(a, DEVICE, 1_000);
        lock(b, DEVICE, 1_000);

        assertThat(commit(delete(b)).get(0).outcome()).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(lastPlan().endedLocks()).extracting(ended -> ended.lock().itemId(), EndedLock::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, LockEnd.DELETED));

        assertThat(commit(delete(folder)).get(0).outcome()).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(lastPlan().endedLocks()).extracting(ended -> ended.lock().itemId(), EndedLock::end)
                .contains(org.assertj.core.groups.Tuple.tuple(2L, LockEnd.DELETED));
    }
}
