package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_ALREADY_COMMITTED;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_COMMITTED;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_CONFLICT;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_REJECTED;
import static org.syncservice.server.testing.CommitItems.atVersion;
import static org.syncservice.server.testing.CommitItems.changed;
import static org.syncservice.server.testing.CommitItems.chunk;
import static org.syncservice.server.testing.CommitItems.deleted;
import static org.syncservice.server.testing.CommitItems.in;
import static org.syncservice.server.testing.CommitItems.moved;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;
import static org.syncservice.server.testing.CommitItems.renamed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.protocol.v1.RejectReason;
import org.syncservice.server.testing.RunningSync;
import org.syncservice.server.testing.SyncDevice;

/** The consistency rules of commit (docs/protocol.md 7.10), end to end: SyncClient -> RabbitMQ -> service -> PostgreSQL. */
class CommitRulesTest {
    @RegisterExtension
    static final RunningSync running = new RunningSync();

    static CommitItemResult only(CommitResponse response) {
        assertThat(response.getResultsList()).hasSize(1);
        return response.getResults(0);
    }

    private static void assertRejected(CommitItemResult result, RejectReason reason) {
        assertThat(result.getOutcome()).as("%s", result).isEqualTo(COMMIT_OUTCOME_REJECTED);
        assertThat(result.getReason()).as("%s", result).isEqualTo(reason);
    }

    private static Map<Long, Item> byId(List<Item> items) {
        return items.stream().collect(Collectors.toMap(Item::getItemId, Function.identity(), (a, b) -> b));
    }

    // ---- versions ----

    @Test
    void aNewItemStartsAtVersionOne() {
        SyncDevice ann = running.fixture().newUser("Ann");
        CommitItemResult result = only(ann.commit(newFile("t1", "a.txt", 10)));

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(result.getTempId()).isEqualTo("t1");
        assertThat(result.getCurrent().getVersion()).isEqualTo(1);
        assertThat(result.getCurrent().getItemId()).isPositive();
        assertThat(result.getCurrent().getStatus()).isEqualTo(ItemStatus.ITEM_STATUS_NEW);
    }

    @Test
    void aNewItemAtAnyOtherVersionIsInvalidStatus() {
        SyncDevice ann = running.fixture().newUser("Ann");
        for (long version : new long[] {0, 2, 7, -1}) {
            CommitItemResult result = only(ann.commit(atVersion(newFile("t", "v" + version + ".txt", 1), version)));
            assertRejected(result, RejectReason.REJECT_REASON_INVALID_STATUS);
            assertThat(result.hasCurrent()).isFalse();
        }
        assertThat(ann.listAll().items()).isEmpty();
        assertThat(ann.changeSeq()).isZero();
    }

    @Test
    void aNewVersionIsExactlyLatestPlusOne() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item v1 = ann.create(newFile("t", "a.txt", 10));
        CommitItemResult v2 = only(ann.commit(changed(v1, 20)));

        assertThat(v2.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(v2.getItemId()).isEqualTo(v1.getItemId());
        assertThat(v2.getCurrent().getVersion()).isEqualTo(2);
        assertThat(v2.getCurrent().getSize()).isEqualTo(20);
        assertThat(ann.versions(v1.getItemId())).extracting(Item::getVersion).containsExactly(2L, 1L);
    }

    @Test
    void aVersionThatSkipsAheadIsAConflict() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item v1 = ann.create(newFile("t", "a.txt", 10));
        CommitItemResult result = only(ann.commit(atVersion(changed(v1, 20), 3)));

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_CONFLICT);
        assertThat(result.getCurrent()).isEqualTo(v1);
        assertThat(ann.versions(v1.getItemId())).hasSize(1);
    }

    @Test
    void theSameVersionWithTheSameContentIsAlreadyCommittedAndStoresNothing() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item v1 = ann.create(newFile("t", "a.txt", 10));
        CommitItem change = changed(v1, 20);
        Item v2 = only(ann.commit(change)).getCurrent();
        long seq = ann.changeSeq();
        long quota = ann.quotaUsed();

        CommitResponse again = ann.commit(change);

        assertThat(only(again).getOutcome()).isEqualTo(COMMIT_OUTCOME_ALREADY_COMMITTED);
        assertThat(only(again).getCurrent()).isEqualTo(v2);
        assertThat(again.getChangeSeq()).isZero();
        assertThat(ann.changeSeq()).isEqualTo(seq);
        assertThat(ann.quotaUsed()).isEqualTo(quota);
        assertThat(ann.versions(v1.getItemId())).extracting(Item::getVersion).containsExactly(2L, 1L);
    }

    @Test
    void aDifferentContentAtAnOldVersionIsAConflictWithTheServersCurrentMetadata() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item v1 = ann.create(newFile("t", "a.txt", 10));
        Item v2 = only(ann.commit(changed(v1, 20))).getCurrent();
        Item v3 = only(ann.commit(changed(v2, 30))).getCurrent();

        CommitItemResult stale = only(ann.commit(changed(v1, 25)));     // version 2, other content
        CommitItemResult staleRename = only(ann.commit(renamed(v2, "b.txt"))); // version 3, other name

        assertThat(stale.getOutcome()).isEqualTo(COMMIT_OUTCOME_CONFLICT);
        assertThat(stale.getCurrent()).isEqualTo(v3);
        assertThat(staleRename.getOutcome()).isEqualTo(COMMIT_OUTCOME_CONFLICT);
        assertThat(staleRename.getCurrent()).isEqualTo(v3);
        assertThat(ann.versions(v1.getItemId())).hasSize(3);
    }

    @Test
    void aCommitOnATombstoneIsRejectedAsInvalidStatus() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item v1 = ann.create(newFile("t", "a.txt", 10));
        Item tombstone = only(ann.commit(deleted(v1))).getCurrent();

        assertRejected(only(ann.commit(changed(tombstone, 5))), RejectReason.REJECT_REASON_INVALID_STATUS);
        assertThat(ann.versions(v1.getItemId())).hasSize(2);
    }

    // ---- rename and move ----

    @Test
    void renamedChangesTheName() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item file = ann.create(newFile("t", "a.txt", 10));
        CommitItemResult result = only(ann.commit(renamed(file, "b.txt")));

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(result.getCurrent().getName()).isEqualTo("b.txt");
        assertThat(result.getCurrent().getStatus()).isEqualTo(ItemStatus.ITEM_STATUS_RENAMED);
        assertThat(ann.listAll().items()).extracting(Item::getName).containsExactly("b.txt");
    }

    @Test
    void anItemMayBeRenamedToAnotherCaseOfItsOwnName() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item file = ann.create(newFile("t", "report.txt", 10));
        CommitItemResult result = only(ann.commit(renamed(file, "Report.TXT")));

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(result.getCurrent().getName()).isEqualTo("Report.TXT");
    }

    @Test
    void changedMustKeepTheNameAndTheParent() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item folder = ann.create(newFolder("f", "Docs"));
        Item file = ann.create(newFile("t", "a.txt", 10));

        assertRejected(only(ann.commit(changed(file, 5).toBuilder().setName("b.txt").build())),
                RejectReason.REJECT_REASON_INVALID_STATUS);
        assertRejected(only(ann.commit(changed(file, 5).toBuilder().setParentId(folder.getItemId()).build())),
                RejectReason.REJECT_REASON_INVALID_STATUS);
        assertRejected(only(ann.commit(changed(folder, 0).toBuilder().clearChunks().setChecksum("").build())),
                RejectReason.REJECT_REASON_INVALID_STATUS);
    }

    @Test
    void movedChangesTheParent() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item folder = ann.create(newFolder("f", "Docs"));
        Item file = ann.create(newFile("t", "a.txt", 10));
        CommitItemResult result = only(ann.commit(moved(file, folder.getItemId())));

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(result.getCurrent().getParentId()).isEqualTo(folder.getItemId());
        assertThat(result.getCurrent().getStatus()).isEqualTo(ItemStatus.ITEM_STATUS_MOVED);
        assertThat(byId(ann.listAll().items()).get(file.getItemId()).getParentId()).isEqualTo(folder.getItemId());
    }

    @Test
    void aFolderCannotMoveIntoItsOwnSubtreeNorIntoItself() {
        SyncDevice ann = running.fixture().newUser("Ann");
        CommitResponse tree = ann.commit(newFolder("a", "A"), newFolder("b", "a", "B"), newFolder("c", "b", "C"));
        Item a = tree.getResults(0).getCurrent();
        Item c = tree.getResults(2).getCurrent();

        assertRejected(only(ann.commit(moved(a, c.getItemId()))), RejectReason.REJECT_REASON_CYCLE);
        assertRejected(only(ann.commit(moved(a, a.getItemId()))), RejectReason.REJECT_REASON_CYCLE);
        assertThat(ann.versions(a.getItemId())).hasSize(1);
    }

    // ---- parents ----

    @Test
    void theParentMustBeALiveFolderOfTheSameWorkspace() {
        SyncDevice ann = running.fixture().newUser("Ann");
        SyncDevice eve = running.fixture().newUser("Eve");
        Item file = ann.create(newFile("f", "a.txt", 1));
        Item gone = ann.create(newFolder("g", "Gone"));
        ann.commit(deleted(gone));
        Item evesFolder = eve.create(newFolder("e", "Eve's"));

        assertRejected(only(ann.commit(in(file.getItemId(), newFile("t", "under-a-file", 1)))),
                RejectReason.REJECT_REASON_INVALID_PARENT);
        assertRejected(only(ann.commit(in(gone.getItemId(), newFile("t", "under-deleted", 1)))),
                RejectReason.REJECT_REASON_INVALID_PARENT);
        CommitItemResult foreign = only(ann.commit(in(evesFolder.getItemId(), newFile("t", "under-eve", 1))));
        assertRejected(foreign, RejectReason.REJECT_REASON_INVALID_PARENT);
        assertThat(foreign.hasCurrent()).isFalse();
        assertRejected(only(ann.commit(in(987_654_321L, newFile("t", "under-nothing", 1)))),
                RejectReason.REJECT_REASON_INVALID_PARENT);
        assertRejected(only(ann.commit(moved(file, evesFolder.getItemId()))),
                RejectReason.REJECT_REASON_INVALID_PARENT);
        assertThat(eve.listAll().items()).containsExactly(evesFolder);
    }

    // ---- names ----

    @Test
    void noTwoLiveItemsWithTheSameNameInOneFolder() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item holder = ann.create(newFile("t1", "a.txt", 10));
        CommitItemResult result = only(ann.commit(newFile("t2", "a.txt", 11)));

        assertRejected(result, RejectReason.REJECT_REASON_NAME_TAKEN);
        assertThat(result.getCurrent()).isEqualTo(holder);
    }

    @Test
    void namesCollideCaseInsensitively() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item holder = ann.create(newFile("t1", "Report.txt", 10));
        Item other = ann.create(newFile("t2", "other.txt", 10));

        CommitItemResult created = only(ann.commit(newFile("t3", "report.TXT", 11)));
        CommitItemResult renamedOnto = only(ann.commit(renamed(other, "REPORT.txt")));

        assertRejected(created, RejectReason.REJECT_REASON_NAME_TAKEN);
        assertThat(created.getCurrent()).isEqualTo(holder);
        assertRejected(renamedOnto, RejectReason.REJECT_REASON_NAME_TAKEN);
        assertThat(renamedOnto.getCurrent()).isEqualTo(holder);
    }

    @Test
    void namesCollideAfterUnicodeNormalisation() {
        SyncDevice ann = running.fixture().newUser("Ann");
        String composed = "caf\u00e9.txt";
        String decomposed = "cafe\u0301.txt";
        Item holder = ann.create(newFile("t1", composed, 10));
        CommitItemResult result = only(ann.commit(newFile("t2", decomposed, 11)));

        assertRejected(result, RejectReason.REJECT_REASON_NAME_TAKEN);
        assertThat(result.getCurrent()).isEqualTo(holder);

        Item stored = ann.create(newFile("t3", "r\u00e9sum\u00e9-" + "e\u0301.txt", 1));
        assertThat(stored.getName()).isEqualTo("r\u00e9sum\u00e9-\u00e9.txt"); // stored in NFC
    }

    @Test
    void theSameNameInDifferentFoldersIsFine() {
        SyncDevice ann = running.fixture().newUser("Ann");
        CommitResponse response = ann.commit(newFolder("a", "A"), newFolder("b", "B"),
                newFile("fa", "a", "same.txt", 1), newFile("fb", "b", "same.txt", 2), newFile("fr", "same.txt", 3));

        assertThat(response.getResultsList()).extracting(CommitItemResult::getOutcome)
                .containsOnly(COMMIT_OUTCOME_COMMITTED);
    }

    @Test
    void aDeletedItemsNameIsFreeAgain() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item first = ann.create(newFile("t1", "a.txt", 10));
        ann.commit(deleted(first));
        CommitItemResult second = only(ann.commit(newFile("t2", "A.TXT", 11)));

        assertThat(second.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(second.getCurrent().getItemId()).isNotEqualTo(first.getItemId());
    }

    @Test
    void aNewItemOverALiveItemWithTheSameContentIsAlreadyCommitted() {
        SyncDevice ann = running.fixture().newUser("Ann");
        CommitItem file = newFile("t1", "a.txt", 10);
        Item stored = ann.create(file);
        long seq = ann.changeSeq();

        CommitResponse again = ann.commit(file);

        assertThat(only(again).getOutcome()).isEqualTo(COMMIT_OUTCOME_ALREADY_COMMITTED);
        assertThat(only(again).getCurrent()).isEqualTo(stored);
        assertThat(ann.changeSeq()).isEqualTo(seq);
    }

    @Test
    void invalidNamesAreRejected() {
        SyncDevice ann = running.fixture().newUser("Ann");
        int maxBytes = running.service().config().limits().maxNameBytes();
        List<String> invalid = List.of("", ".", "..", "a/b", "nul\u0000name", "tab\tname", "bell\u0007",
                "del\u007f", "x".repeat(maxBytes + 1), "\u00e9".repeat(maxBytes / 2 + 1));
        List<CommitItem> items = new ArrayList<>();
        for (int i = 0; i < invalid.size(); i++) {
            items.add(newFile("t" + i, invalid.get(i), 1));
        }
        CommitResponse response = ann.commit(items);

        for (CommitItemResult result : response.getResultsList()) {
            assertRejected(result, RejectReason.REJECT_REASON_INVALID_NAME);
        }
        assertThat(response.getChangeSeq()).isZero();
        assertThat(only(ann.commit(newFile("ok", "x".repeat(maxBytes), 1))).getOutcome())
                .isEqualTo(COMMIT_OUTCOME_COMMITTED);
    }

    // ---- deletes ----

    @Test
    void deletedMakesATombstoneThatGetChangesReports() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item file = ann.create(newFile("t", "a.txt", 10));
        String cursor = ann.listAll().cursor();
        CommitItemResult result = only(ann.commit(deleted(file)));

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(result.getCurrent().getStatus()).isEqualTo(ItemStatus.ITEM_STATUS_DELETED);
        assertThat(result.getCurrent().getVersion()).isEqualTo(2);
        assertThat(ann.listFrom(cursor, 0).items()).singleElement().satisfies(item -> {
            assertThat(item.getItemId()).isEqualTo(file.getItemId());
            assertThat(item.getStatus()).isEqualTo(ItemStatus.ITEM_STATUS_DELETED);
        });
        assertThat(ann.listAll().items()).isEmpty();
    }

    @Test
    void deletingAFolderTombstonesItsWholeSubtreeAndGivesTheQuotaBack() {
        SyncDevice ann = running.fixture().newUser("Ann");
        CommitResponse tree = ann.commit(newFolder("a", "A"), newFolder("b", "a", "B"), newFile("f1", "a", "1", 100),
                newFile("f2", "b", "2", 200), newFolder("c", "b", "C"), newFile("f3", "c", "3", 300),
                newFile("keep", "keep.txt", 7));
        Item a = tree.getResults(0).getCurrent();
        assertThat(ann.quotaUsed()).isEqualTo(607);
        String cursor = ann.listAll().cursor();

        CommitResponse delete = ann.commit(deleted(a));

        assertThat(only(delete).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        List<Item> changes = ann.listFrom(cursor, 0).items();
        assertThat(changes).extracting(Item::getItemId).containsExactlyInAnyOrderElementsOf(
                tree.getResultsList().subList(0, 6).stream().map(r -> r.getCurrent().getItemId()).toList());
        assertThat(changes).allSatisfy(item -> {
            assertThat(item.getStatus()).isEqualTo(ItemStatus.ITEM_STATUS_DELETED);
            assertThat(item.getChangeSeq()).isEqualTo(delete.getChangeSeq());
        });
        assertThat(ann.listAll().items()).extracting(Item::getName).containsExactly("keep.txt");
        assertThat(ann.quotaUsed()).isEqualTo(7);
        Item f3 = tree.getResults(5).getCurrent();
        assertThat(ann.versions(f3.getItemId())).extracting(Item::getStatus)
                .containsExactly(ItemStatus.ITEM_STATUS_DELETED, ItemStatus.ITEM_STATUS_NEW);
    }

    // ---- quota ----

    @Test
    void aFileOverTheRemainingQuotaIsRejectedAndNothingIsCharged() {
        SyncDevice ann = running.fixture().newUser("Ann", 1000);
        Item file = ann.create(newFile("t1", "a.txt", 600));

        CommitResponse response = ann.commit(newFile("t2", "b.txt", 401), newFile("t3", "c.txt", 400));

        assertRejected(response.getResults(0), RejectReason.REJECT_REASON_QUOTA_EXCEEDED);
        assertThat(response.getResults(1).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(ann.quotaUsed()).isEqualTo(1000);
        assertRejected(only(ann.commit(changed(file, 601))), RejectReason.REJECT_REASON_QUOTA_EXCEEDED);
        assertThat(ann.quotaUsed()).isEqualTo(1000);
    }

    @Test
    void quotaUsedFollowsCommits() {
        SyncDevice ann = running.fixture().newUser("Ann");
        assertThat(ann.quotaUsed()).isZero();
        Item file = ann.create(newFile("t1", "a.txt", 1000));
        ann.create(newFolder("f", "Folder"));
        assertThat(ann.quotaUsed()).isEqualTo(1000);

        Item bigger = only(ann.commit(changed(file, 1500))).getCurrent();
        assertThat(ann.quotaUsed()).isEqualTo(1500);
        Item smaller = only(ann.commit(changed(bigger, 300))).getCurrent();
        assertThat(ann.quotaUsed()).isEqualTo(300);
        Item renamedFile = only(ann.commit(renamed(smaller, "b.txt"))).getCurrent();
        assertThat(ann.quotaUsed()).isEqualTo(300);
        ann.commit(deleted(renamedFile));
        assertThat(ann.quotaUsed()).isZero();
    }

    // ---- batches and temp ids ----

    @Test
    void aBatchCreatesAFolderAndItsChildrenWithTempIds() {
        SyncDevice ann = running.fixture().newUser("Ann");
        CommitResponse response = ann.commit(newFolder("p", "Photos"), newFolder("y", "p", "2024"),
                newFile("a", "y", "a.jpg", 10), newFile("b", "p", "b.jpg", 20));

        assertThat(response.getResultsList()).extracting(CommitItemResult::getOutcome)
                .containsOnly(COMMIT_OUTCOME_COMMITTED);
        long photos = response.getResults(0).getCurrent().getItemId();
        long year = response.getResults(1).getCurrent().getItemId();
        assertThat(response.getResults(1).getCurrent().getParentId()).isEqualTo(photos);
        assertThat(response.getResults(2).getCurrent().getParentId()).isEqualTo(year);
        assertThat(response.getResults(3).getCurrent().getParentId()).isEqualTo(photos);
        assertThat(response.getResultsList()).extracting(r -> r.getCurrent().getChangeSeq())
                .containsOnly(response.getChangeSeq());
    }

    @Test
    void laterItemsOfARequestSeeTheEffectsOfEarlierOnes() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item file = ann.create(newFile("t", "a.txt", 10));
        Item folder = ann.create(newFolder("f", "Old"));

        CommitResponse response = ann.commit(renamed(file, "b.txt"), newFile("n", "a.txt", 5),
                newFolder("new", "New"), moved(folder, 0).toBuilder().setParentTempId("new").build());

        assertThat(response.getResultsList()).extracting(CommitItemResult::getOutcome)
                .containsOnly(COMMIT_OUTCOME_COMMITTED);
        long newFolderId = response.getResults(2).getCurrent().getItemId();
        assertThat(response.getResults(3).getCurrent().getParentId()).isEqualTo(newFolderId);
        assertThat(ann.listAll().items()).extracting(Item::getName)
                .containsExactlyInAnyOrder("b.txt", "a.txt", "New", "Old");
    }

    @Test
    void aChildOfARejectedTempIdIsDependencyFailedAndSoAreItsDependants() {
        SyncDevice ann = running.fixture().newUser("Ann");
        CommitResponse response = ann.commit(newFolder("bad", "Q1/Q2"), newFolder("child", "bad", "child"),
                newFile("grandchild", "child", "x.txt", 1), newFile("missing", "nowhere", "y.txt", 1));

        assertRejected(response.getResults(0), RejectReason.REJECT_REASON_INVALID_NAME);
        assertRejected(response.getResults(1), RejectReason.REJECT_REASON_DEPENDENCY_FAILED);
        assertRejected(response.getResults(2), RejectReason.REJECT_REASON_DEPENDENCY_FAILED);
        assertRejected(response.getResults(3), RejectReason.REJECT_REASON_DEPENDENCY_FAILED);
        assertThat(ann.listAll().items()).isEmpty();
    }

    @Test
    void everyItemGetsItsOwnResultInRequestOrderAndARejectedItemDoesNotStopTheOthers() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item existing = ann.create(newFile("e", "existing.txt", 5));
        CommitResponse response = ann.commit(
                newFile("t0", "ok-0.txt", 1),
                newFile("t1", "a/b", 1),
                changed(existing, 6),
                newFile("t3", "ok-3.txt", 1).toBuilder().setChunks(0, "bad chunk!").build(),
                atVersion(changed(existing, 7), 9),
                newFile("t5", "ok-5.txt", 1));

        assertThat(response.getResultsList()).extracting(CommitItemResult::getOutcome).containsExactly(
                COMMIT_OUTCOME_COMMITTED, COMMIT_OUTCOME_REJECTED, COMMIT_OUTCOME_COMMITTED,
                COMMIT_OUTCOME_REJECTED, COMMIT_OUTCOME_CONFLICT, COMMIT_OUTCOME_COMMITTED);
        assertThat(response.getResults(0).getTempId()).isEqualTo("t0");
        assertThat(response.getResults(2).getItemId()).isEqualTo(existing.getItemId());
        assertThat(response.getResults(5).getTempId()).isEqualTo("t5");
        assertThat(response.getResults(1).getReason()).isEqualTo(RejectReason.REJECT_REASON_INVALID_NAME);
        assertThat(response.getResults(3).getReason()).isEqualTo(RejectReason.REJECT_REASON_INVALID_CHUNKS);
        assertThat(ann.listAll().items()).extracting(Item::getName)
                .containsExactlyInAnyOrder("existing.txt", "ok-0.txt", "ok-5.txt");
    }

    @Test
    void badChunkNamesAreInvalidChunks() {
        SyncDevice ann = running.fixture().newUser("Ann");
        for (String bad : List.of("short", "has space here", "slash/inside/name", "x".repeat(129), "")) {
            CommitItem item = newFile("t", "a.txt", 1).toBuilder().clearChunks().addChunks(chunk()).addChunks(bad)
                    .build();
            assertRejected(only(ann.commit(item)), RejectReason.REJECT_REASON_INVALID_CHUNKS);
        }
        assertThat(ann.changeSeq()).isZero();
    }

    @Test
    void tooManyItemsInOneCommitIsInvalidArgument() {
        SyncDevice ann = running.fixture().newUser("Ann");
        int max = running.service().config().limits().maxItemsPerCommit();
        List<CommitItem> items = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            items.add(newFolder("t" + i, "f" + i));
        }
        SyncServiceException error = catchService(() -> ann.commit(items));

        assertThat(error.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(error.isLocal()).isFalse();
        assertThat(ann.changeSeq()).isZero();
        assertThat(catchService(() -> ann.commit(List.of())).code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
    }

    @Test
    void everyCommitThatStoresSomethingTakesTheNextChangeSequenceNumber() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item file = ann.create(newFile("t", "a.txt", 1));
        assertThat(file.getChangeSeq()).isEqualTo(1);
        List<Long> seqs = new ArrayList<>();
        Item current = file;
        for (int i = 0; i < 5; i++) {
            CommitResponse response = ann.commit(changed(current, i + 2));
            current = only(response).getCurrent();
            seqs.add(response.getChangeSeq());
            CommitResponse nothing = ann.commit(newFile("bad" + i, "", 1)); // rejected: stores nothing
            assertThat(nothing.getChangeSeq()).isZero();
        }

        assertThat(seqs).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(ann.changeSeq()).isEqualTo(6);
        assertThat(ann.versions(file.getItemId())).extracting(Item::getChangeSeq)
                .containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
    }

    static SyncServiceException catchService(Runnable call) {
        try {
            call.run();
        } catch (SyncServiceException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }
}
