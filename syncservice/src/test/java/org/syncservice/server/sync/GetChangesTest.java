package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.CommitItems.changed;
import static org.syncservice.server.testing.CommitItems.deleted;
import static org.syncservice.server.testing.CommitItems.in;
import static org.syncservice.server.testing.CommitItems.moved;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;
import static org.syncservice.server.testing.CommitItems.renamed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.CursorExpiry;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.server.store.jdbc.JdbcCursorKeyStore;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/** get_changes: full listings, paging, cursors (docs/protocol.md 7.9), end to end. */
class GetChangesTest {
    private static final int MAX_PAGE_SIZE = 2000;
    private static final int DEFAULT_PAGE_SIZE = 100;

    private static RunningService service;
    private static SyncFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("limits.max-page-size", Integer.toString(MAX_PAGE_SIZE),
                "limits.default-page-size", Integer.toString(DEFAULT_PAGE_SIZE)));
        fixture = new SyncFixture(service);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        service.close();
    }

    /** Every item's parent is the root or appeared earlier in the listing. */
    private static void assertParentsBeforeChildren(List<Item> items) {
        Set<Long> seen = new HashSet<>();
        for (Item item : items) {
            assertThat(item.getParentId() == 0 || seen.contains(item.getParentId()))
                    .as("parent %d of item %d (%s) listed before it", item.getParentId(), item.getItemId(),
                            item.getName())
                    .isTrue();
            seen.add(item.getItemId());
        }
    }

    private static List<Long> ids(List<Item> items) {
        return items.stream().map(Item::getItemId).toList();
    }

    @Test
    void anEmptyCursorListsEveryLiveItemParentsBeforeChildren() {
        SyncDevice ann = fixture.newUser("Ann");
        // Children created after their parents moved under them get lower depths than ids suggest.
        Item late = ann.create(newFolder("late", "Late"));
        CommitResponse tree = ann.commit(newFolder("a", "A"), newFolder("b", "a", "B"), newFile("f", "b", "f.txt", 1),
                newFile("g", "a", "g.txt", 1), newFile("gone", "gone.txt", 1));
        Item a = tree.getResults(0).getCurrent();
        ann.commit(moved(a, late.getItemId()));
        ann.commit(deleted(tree.getResults(4).getCurrent()));
        Item root = ann.create(newFile("r", "root.txt", 1));

        SyncDevice.Listing listing = ann.listAll();

        assertThat(listing.items()).extracting(Item::getName)
                .containsExactlyInAnyOrder("Late", "A", "B", "f.txt", "g.txt", "root.txt");
        assertThat(listing.items()).extracting(Item::getStatus).doesNotContain(ItemStatus.ITEM_STATUS_DELETED);
        assertParentsBeforeChildren(listing.items());
        assertThat(listing.changeSeq()).isEqualTo(root.getChangeSeq());
        assertThat(ann.listAll().items()).isEqualTo(listing.items());
    }

    @Test
    void pagingThroughTenThousandItemsReturnsEachLiveItemOnceParentsBeforeChildren() {
        SyncDevice ann = fixture.newUser("Big");
        int maxItems = service.config().limits().maxItemsPerCommit();
        // Ten top folders, each with 9 sub folders, each with sub-sub folders and files: 10,000 items.
        List<CommitItem> pending = new ArrayList<>();
        List<Long> created = new ArrayList<>();
        List<Item> leafFolders = new ArrayList<>();
        for (int top = 0; top < 10; top++) {
            pending.add(newFolder("t" + top, "top-" + top));
            for (int mid = 0; mid < 9; mid++) {
                pending.add(newFolder("m" + top + "_" + mid, "t" + top, "mid-" + mid));
            }
        }
        CommitResponse folders = ann.commit(pending);
        folders.getResultsList().forEach(r -> created.add(r.getCurrent().getItemId()));
        folders.getResultsList().stream().filter(r -> r.getTempId().startsWith("m"))
                .forEach(r -> leafFolders.add(r.getCurrent()));
        // Each leaf folder gets a "deep" sub folder holding files; a group goes in one commit, since
        // the files name the sub folder by its temp id.
        int remaining = 10_000 - created.size();
        int perGroup = remaining / leafFolders.size() + 1;
        List<List<CommitItem>> groups = new ArrayList<>();
        int made = 0;
        for (Item folder : leafFolders) {
            if (made >= remaining) {
                break;
            }
            String sub = "s" + folder.getItemId();
            List<CommitItem> group = new ArrayList<>();
            group.add(in(folder.getItemId(), newFolder(sub, "deep")));
            made++;
            for (int i = 1; i < perGroup && made < remaining; i++, made++) {
                group.add(newFile("f" + folder.getItemId() + "_" + i, sub, "file-" + i + ".bin", 1));
            }
            groups.add(group);
        }
        List<CommitItem> batch = new ArrayList<>();
        for (int g = 0; g <= groups.size(); g++) {
            if (g == groups.size() || batch.size() + groups.get(g).size() > maxItems) {
                CommitResponse response = ann.commit(batch);
                for (CommitItemResult result : response.getResultsList()) {
                    assertThat(result.getOutcome()).as("%s", result).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
                    created.add(result.getCurrent().getItemId());
                }
                batch = new ArrayList<>();
            }
            if (g < groups.size()) {
                batch.addAll(groups.get(g));
            }
        }
        assertThat(created).hasSize(10_000);

        SyncDevice.Listing listing = ann.listFrom("", 777);

        assertThat(listing.pages()).isEqualTo((10_000 + 776) / 777);
        assertThat(ids(listing.items())).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
        assertParentsBeforeChildren(listing.items());

        // A device continues after the listing and gets exactly what changed since: a rename, and a
        // folder delete with its whole subtree.
        Item someFile = listing.named("file-1.bin");
        Item someFolder = listing.items().stream().filter(i -> i.getName().equals("mid-3")).findFirst().orElseThrow();
        Map<Long, Item> byId = new java.util.HashMap<>();
        listing.items().forEach(i -> byId.put(i.getItemId(), i));
        Set<Long> subtree = new HashSet<>();
        for (Item item : listing.items()) {
            for (long id = item.getItemId(); id != 0; id = byId.get(id).getParentId()) {
                if (id == someFolder.getItemId()) {
                    subtree.add(item.getItemId());
                    break;
                }
            }
        }
        assertThat(subtree).contains(someFolder.getItemId()).hasSizeGreaterThan(2).doesNotContain(someFile.getItemId());
        Set<Long> expected = new HashSet<>(subtree);
        expected.add(someFile.getItemId());
        ann.commit(renamed(someFile, "renamed.bin"));
        ann.commit(deleted(someFolder));

        SyncDevice.Listing after = ann.listFrom(listing.cursor(), 0);

        assertThat(ids(after.items())).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(after.items()).allSatisfy(i -> assertThat(i.getStatus()).isEqualTo(
                subtree.contains(i.getItemId()) ? ItemStatus.ITEM_STATUS_DELETED : ItemStatus.ITEM_STATUS_RENAMED));
        assertParentsInTheAnswerComeFirst(after.items());
    }

    /** When an item's parent is in the answer at all, it comes earlier. */
    private static void assertParentsInTheAnswerComeFirst(List<Item> items) {
        Set<Long> all = new HashSet<>(ids(items));
        Set<Long> seen = new HashSet<>();
        for (Item item : items) {
            if (all.contains(item.getParentId())) {
                assertThat(seen).as("parent of %s listed before it", item.getName()).contains(item.getParentId());
            }
            seen.add(item.getItemId());
        }
    }

    @Test
    void aCursorFromTheEndOfAListingReturnsExactlyTheLaterChanges() {
        SyncDevice ann = fixture.newUser("Ann");
        CommitResponse tree = ann.commit(newFolder("a", "A"), newFolder("b", "B"), newFile("f", "a", "f.txt", 1),
                newFile("g", "a", "g.txt", 1), newFile("h", "h.txt", 1), newFile("quiet", "quiet.txt", 1));
        Item a = tree.getResults(0).getCurrent();
        Item b = tree.getResults(1).getCurrent();
        Item f = tree.getResults(2).getCurrent();
        Item g = tree.getResults(3).getCurrent();
        Item h = tree.getResults(4).getCurrent();
        SyncDevice.Listing listing = ann.listFrom("", 2);
        assertThat(listing.pages()).isEqualTo(3);
        GetChangesResponse nothing = ann.changes(listing.cursor(), 0);
        assertThat(nothing.getItemsList()).isEmpty();
        assertThat(nothing.getHasMore()).isFalse();
        assertThat(nothing.getChangeSeq()).isEqualTo(listing.changeSeq());

        Item fRenamed = ann.commit(renamed(f, "f2.txt")).getResults(0).getCurrent();
        Item gMoved = ann.commit(moved(g, b.getItemId())).getResults(0).getCurrent();
        Item hChanged = ann.commit(changed(h, 5)).getResults(0).getCurrent();
        CommitResponse newOne = ann.commit(in(b.getItemId(), newFile("n", "new.txt", 1)));
        Item hDeleted = ann.commit(deleted(hChanged)).getResults(0).getCurrent();
        Item aDeleted = ann.commit(deleted(a)).getResults(0).getCurrent();

        SyncDevice.Listing later = ann.listFrom(listing.cursor(), 2);

        Item fDeleted = later.items().stream().filter(i -> i.getItemId() == f.getItemId()).findFirst().orElseThrow();
        assertThat(fDeleted.getStatus()).isEqualTo(ItemStatus.ITEM_STATUS_DELETED);
        assertThat(fDeleted.getName()).isEqualTo(fRenamed.getName());
        assertThat(later.items()).containsExactlyInAnyOrder(aDeleted, fDeleted, gMoved, hDeleted,
                newOne.getResults(0).getCurrent());
        assertThat(later.changeSeq()).isEqualTo(aDeleted.getChangeSeq());
        assertThat(ann.changes(later.cursor(), 0).getItemsList()).isEmpty();

        // And from there on, again only what comes next.
        Item bRenamed = ann.commit(renamed(b, "B2")).getResults(0).getCurrent();
        SyncDevice.Listing next = ann.listFrom(later.cursor(), 0);
        assertThat(next.items()).containsExactly(bRenamed);
        assertThat(next.changeSeq()).isEqualTo(bRenamed.getChangeSeq());
    }

    @Test
    void aListingFromTheCursorOfAnEmptyWorkspaceHasTheTombstonesOfItemsMadeAndDeletedSince() {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice.Listing empty = ann.listFrom("", 0);
        assertThat(empty.items()).isEmpty();
        assertThat(empty.changeSeq()).isZero();
        // Another device of Ann's could have told this one of the file by a notification.
        Item made = ann.commit(newFile("f", "f.txt", 1)).getResults(0).getCurrent();
        Item gone = ann.commit(deleted(made)).getResults(0).getCurrent();

        SyncDevice.Listing later = ann.listFrom(empty.cursor(), 0);

        assertThat(later.items()).containsExactly(gone);
        assertThat(later.items().get(0).getStatus()).isEqualTo(ItemStatus.ITEM_STATUS_DELETED);
    }

    @Test
    void textThatIsNoCursorIsInvalidArgument() {
        SyncDevice ann = fixture.newUser("Ann");
        for (String cursor : List.of("garbage", "c3_1_1_-1_0", "C1_1_1_-1_0", "c2" + "_1".repeat(100))) {
            SyncServiceException error = CommitRulesTest.catchService(() -> ann.changes(cursor, 0));
            assertThat(error.code()).as(cursor).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        }
    }

    @Test
    void anOldFormatCursorExpiresSoTheDeviceListsAgain() {
        SyncDevice ann = fixture.newUser("Ann");
        ann.create(newFile("a", "a.txt", 1));
        for (String cursor : List.of("c1_1_1_-1_0", "c1_0_1_0_5", "c1_", "c1_5_3_-1_0", "c1_x_1_-1_0")) {
            SyncServiceException error = CommitRulesTest.catchService(() -> ann.changes(cursor, 0));
            assertThat(error.code()).as(cursor).isEqualTo(ErrorCode.ERROR_CODE_CURSOR_EXPIRED);
            assertThat(error.getMessage()).as(cursor).contains("list again from an empty cursor");
        }
    }

    @Test
    void aFolderMovedUpWhileADevicePagesArrivesWithItsSubtreeBeforeOrAfterTheFinalCursor() {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice other = fixture.anotherDevice(ann, "desktop");
        CommitResponse tree = ann.commit(newFolder("p", "P"), newFolder("q", "p", "Q"), newFolder("m", "q", "M"),
                newFile("f1", "m", "f1", 1), newFile("f2", "m", "f2", 1));
        Item m = tree.getResults(2).getCurrent();
        List<Item> received = new ArrayList<>();
        GetChangesResponse page;
        String cursor = "";
        boolean moved = false;
        do {
            page = ann.changes(cursor, 1);
            received.addAll(page.getItemsList());
            cursor = page.getNextCursor();
            if (!moved && ids(page.getItemsList()).contains(m.getItemId())) {
                other.commit(moved(m, 0));
                moved = true;
            }
        } while (page.getHasMore());
        assertThat(moved).isTrue();
        SyncDevice.Listing after = ann.listFrom(cursor, 1);
        received.addAll(after.items());

        assertParentsBeforeChildren(received);
        Map<Long, Item> latest = new java.util.HashMap<>();
        received.forEach(item -> latest.merge(item.getItemId(), item,
                (known, next) -> next.getVersion() >= known.getVersion() ? next : known));
        assertThat(latest.values()).extracting(Item::getName).containsExactlyInAnyOrder("P", "Q", "M", "f1", "f2");
        assertThat(latest.get(m.getItemId()).getParentId()).isZero();
        assertThat(latest.get(tree.getResults(3).getCurrent().getItemId()).getParentId()).isEqualTo(m.getItemId());
        assertThat(latest.get(tree.getResults(4).getCurrent().getItemId()).getParentId()).isEqualTo(m.getItemId());
    }

    /**
     * X and its child Y are new when a listing begins; a move of X's folder defers both; the next
     * listing begins, and X changes again before its page: X must still come, before Y.
     */
    @Test
    void anItemDeferredByAMoveAndChangedAgainStillComesBeforeItsChildren() {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice other = fixture.anotherDevice(ann, "desktop");
        Item a = ann.create(newFolder("a", "A"));
        Set<Long> known = new HashSet<>();
        SyncDevice.Listing first = ann.listAll();
        first.items().forEach(item -> known.add(item.getItemId()));
        CommitResponse later = ann.commit(newFolder("b", "B"), in(a.getItemId(), newFolder("x", "X")),
                newFolder("y", "x", "Y"));
        Item x = later.getResults(1).getCurrent();

        GetChangesResponse page = ann.changes(first.cursor(), 1);
        assertThat(page.getItemsList()).extracting(Item::getName).containsExactly("B");
        page.getItemsList().forEach(item -> known.add(item.getItemId()));
        other.commit(moved(ann.versions(a.getItemId()).get(0), later.getResults(0).getCurrent().getItemId()));
        String cursor = page.getNextCursor();
        while (page.getHasMore()) {
            page = ann.changes(cursor, 1);
            applyKnowingParents(page.getItemsList(), known);
            cursor = page.getNextCursor();
        }
        page = ann.changes(cursor, 1);
        applyKnowingParents(page.getItemsList(), known);
        assertThat(page.getItemsList()).extracting(Item::getName).containsExactly("A");
        other.commit(renamed(x, "X2"));
        SyncDevice.Listing rest = ann.listFrom(page.getNextCursor(), 1);
        applyKnowingParents(rest.items(), known);

        assertThat(rest.items()).extracting(Item::getName).contains("X", "Y");
    }

    private static void applyKnowingParents(List<Item> items, Set<Long> known) {
        for (Item item : items) {
            assertThat(item.getParentId() == 0 || known.contains(item.getParentId()))
                    .as("parent %d of %s known when it arrives", item.getParentId(), item.getName()).isTrue();
            known.add(item.getItemId());
        }
    }

    @Test
    void anotherWorkspacesCursorExpires() {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice bob = fixture.newUser("Bob");
        ann.commit(newFile("a", "a.txt", 1), newFile("b", "b.txt", 1));
        bob.commit(newFile("c", "c.txt", 1), newFile("d", "d.txt", 1));
        GetChangesResponse midListing = ann.changes("", 1);
        String finalCursor = ann.listAll().cursor();

        for (String cursor : List.of(midListing.getNextCursor(), finalCursor)) {
            SyncServiceException error = CommitRulesTest.catchService(() -> bob.changes(cursor, 0));
            assertThat(error.code()).as(cursor).isEqualTo(ErrorCode.ERROR_CODE_CURSOR_EXPIRED);
            assertThat(error.getMessage()).contains("list again from an empty cursor");
        }
        assertThat(ann.changes(finalCursor, 0).getItemsList()).isEmpty();
    }

    @Test
    void aTamperedCursorExpires() {
        SyncDevice ann = fixture.newUser("Ann");
        ann.commit(newFile("a", "a.txt", 1), newFile("b", "b.txt", 1), newFile("c", "c.txt", 1));
        String cursor = ann.changes("", 1).getNextCursor();
        assertThat(cursor).startsWith("c2_");
        String[] fields = cursor.split("_", 7);
        List<String> forged = new ArrayList<>();
        for (int field = 1; field <= 5; field++) {
            String[] changed = fields.clone();
            changed[field] = changed[field].equals("0") ? "1" : "0";
            forged.add(String.join("_", changed));
        }
        String mac = fields[6];
        forged.add(cursor.substring(0, cursor.length() - mac.length()) + (mac.charAt(0) == 'A' ? 'B' : 'A')
                + mac.substring(1));
        forged.add(cursor.substring(0, cursor.length() - 1));
        forged.add(cursor + "A");
        forged.add(cursor.substring(0, cursor.length() - mac.length() - 1));

        for (String bad : forged) {
            SyncServiceException error = CommitRulesTest.catchService(() -> ann.changes(bad, 0));
            assertThat(error.code()).as(bad).isEqualTo(ErrorCode.ERROR_CODE_CURSOR_EXPIRED);
            assertThat(error.cursorExpiry()).as(bad).isEqualTo(CursorExpiry.CURSOR_EXPIRY_UNSPECIFIED);
        }
        assertThat(ann.changes(cursor, 0).getItemsList()).hasSize(2);
    }

    @Test
    void aCursorFromBeforeANewEpochExpiresSayingTheHistoryWentBack() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        Item before = ann.create(newFile("a", "a.txt", 1));
        ann.commit(newFile("b", "b.txt", 1));
        String midListing = ann.changes("", 1).getNextCursor();
        String finalCursor = ann.listAll().cursor();
        // Below the purge horizon too: the epoch is what the client must hear of.
        raisePurgeHorizon(ann);

        new JdbcCursorKeyStore(service.database().dataSource()).newEpoch();

        for (String cursor : List.of(midListing, finalCursor)) {
            SyncServiceException error = CommitRulesTest.catchService(() -> ann.changes(cursor, 0));
            assertThat(error.code()).as(cursor).isEqualTo(ErrorCode.ERROR_CODE_CURSOR_EXPIRED);
            assertThat(error.cursorExpiry()).as(cursor).isEqualTo(CursorExpiry.CURSOR_EXPIRY_HISTORY_REWOUND);
            assertThat(error.getMessage()).contains("list again from an empty cursor");
        }
        SyncDevice.Listing again = ann.listAll();
        assertThat(again.items()).hasSize(2);
        assertThat(ann.changes(again.cursor(), 0).getItemsList()).isEmpty();
        assertThat(ann.client().getServerInfo().getCursorExpiryReasons()).as("announced").isTrue();
        // Ids handed out by a history lost with the backup are never given to other items.
        Item after = ann.create(newFile("c", "c.txt", 1));
        assertThat(after.getItemId()).isGreaterThan(before.getItemId() + (1L << 32));
    }

    @Test
    void aCursorAheadOfTheWorkspaceSaysTheHistoryWentBack() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        ann.commit(newFile("a", "a.txt", 1), newFile("b", "b.txt", 1));
        String cursor = ann.listAll().cursor();
        // A database restored from a backup taken before those commits, without new-epoch.
        try (Connection c = service.database().dataSource().getConnection();
             PreparedStatement rewind = c.prepareStatement(
                     "UPDATE workspaces SET latest_change_seq = 0 WHERE workspace_id = ?")) {
            rewind.setObject(1, java.util.UUID.fromString(ann.workspace()));
            rewind.executeUpdate();
        }

        SyncServiceException error = CommitRulesTest.catchService(() -> ann.changes(cursor, 0));

        assertThat(error.code()).isEqualTo(ErrorCode.ERROR_CODE_CURSOR_EXPIRED);
        assertThat(error.cursorExpiry()).isEqualTo(CursorExpiry.CURSOR_EXPIRY_HISTORY_REWOUND);
    }

    private void raisePurgeHorizon(SyncDevice device) throws SQLException {
        try (Connection c = service.database().dataSource().getConnection();
             PreparedStatement purge = c.prepareStatement(
                     "UPDATE workspaces SET purged_up_to_seq = latest_change_seq WHERE workspace_id = ?")) {
            purge.setObject(1, java.util.UUID.fromString(device.workspace()));
            purge.executeUpdate();
        }
    }

    @Test
    void aListingAfterTheCursorOfAnEmptyWorkspaceExpiresWhenAPurgePassesWhileItPages() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        String emptyCursor = ann.listFrom("", 0).cursor();
        ann.commit(newFile("a", "a.txt", 1), newFile("b", "b.txt", 1));
        Item gone = ann.create(newFile("c", "c.txt", 1));
        ann.commit(deleted(gone));
        String midListing = ann.changes(emptyCursor, 1).getNextCursor();
        // A purge of the tombstone committed at 3: the rest of this listing would no longer have it.
        raisePurgeHorizon(ann);

        SyncServiceException error = CommitRulesTest.catchService(() -> ann.changes(midListing, 0));

        assertThat(error.code()).isEqualTo(ErrorCode.ERROR_CODE_CURSOR_EXPIRED);
    }

    @Test
    void aCursorBelowThePurgeHorizonExpires() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        ann.commit(newFile("a", "a.txt", 1), newFile("b", "b.txt", 1));
        String midListing = ann.changes("", 1).getNextCursor();
        String finalCursor = ann.listAll().cursor();
        Item later = ann.create(newFile("c", "c.txt", 1));
        ann.commit(renamed(later, "c2.txt"));
        raisePurgeHorizon(ann);

        for (String cursor : List.of(midListing, finalCursor)) {
            SyncServiceException error = CommitRulesTest.catchService(() -> ann.changes(cursor, 0));
            assertThat(error.code()).as(cursor).isEqualTo(ErrorCode.ERROR_CODE_CURSOR_EXPIRED);
            assertThat(error.cursorExpiry()).as(cursor).isEqualTo(CursorExpiry.CURSOR_EXPIRY_HISTORY_PURGED);
            assertThat(error.getMessage()).contains("list again from an empty cursor");
        }
        assertThat(ann.listAll().items()).extracting(Item::getName).containsExactlyInAnyOrder("a.txt", "b.txt",
                "c2.txt");
    }

    @Test
    void noItemInAnAnswerHasAChangeSeqAboveTheAnswersWhileCommitsGoOn() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        SyncDevice writer = fixture.anotherDevice(ann, "writer");
        List<CommitItem> files = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            files.add(newFile("f" + i, "f" + i + ".txt", 1));
        }
        List<Item> items = new ArrayList<>();
        ann.commit(files).getResultsList().forEach(r -> items.add(r.getCurrent()));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread commits = new Thread(() -> {
            java.util.Random random = new java.util.Random(7);
            while (!stop.get()) {
                int i = random.nextInt(items.size());
                CommitItemResult result = writer.commit(changed(items.get(i), random.nextInt(100) + 2))
                        .getResults(0);
                if (result.getOutcome() == CommitOutcome.COMMIT_OUTCOME_COMMITTED) {
                    items.set(i, result.getCurrent());
                }
            }
        });
        commits.start();
        try {
            String cursor = "";
            for (int round = 0; round < 40; round++) {
                GetChangesResponse page = ann.changes(cursor, 4);
                for (Item item : page.getItemsList()) {
                    assertThat(item.getChangeSeq()).as("%s in an answer at %d", item.getName(), page.getChangeSeq())
                            .isLessThanOrEqualTo(page.getChangeSeq());
                }
                cursor = page.getNextCursor();
            }
        } finally {
            stop.set(true);
            commits.join();
        }
    }

    @Test
    void aNegativePageSizeIsInvalidArgument() {
        SyncDevice ann = fixture.newUser("Ann");
        assertThat(CommitRulesTest.catchService(() -> ann.changes("", -1)).code())
                .isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
    }

    @Test
    void aPageSizeAboveTheMaximumIsCappedAndZeroMeansTheDefault() {
        SyncDevice ann = fixture.newUser("Ann");
        List<CommitItem> items = new ArrayList<>();
        for (int i = 0; i < MAX_PAGE_SIZE + 10; i++) {
            items.add(newFolder("t" + i, "f" + i));
            if (items.size() == service.config().limits().maxItemsPerCommit()) {
                ann.commit(items);
                items = new ArrayList<>();
            }
        }
        ann.commit(items);

        GetChangesResponse capped = ann.changes("", MAX_PAGE_SIZE * 10);
        GetChangesResponse byDefault = ann.changes("", 0);

        assertThat(capped.getItemsList()).hasSize(MAX_PAGE_SIZE);
        assertThat(capped.getHasMore()).isTrue();
        assertThat(byDefault.getItemsList()).hasSize(DEFAULT_PAGE_SIZE);
        assertThat(ann.changes(capped.getNextCursor(), MAX_PAGE_SIZE * 10).getItemsList()).hasSize(10);
    }
}
