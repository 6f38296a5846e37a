package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.server.testing.CommitItems.changed;
import static org.syncservice.server.testing.CommitItems.deleted;
import static org.syncservice.server.testing.CommitItems.in;
import static org.syncservice.server.testing.CommitItems.moved;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;
import static org.syncservice.server.testing.CommitItems.renamed;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/** get_changes with subtree_ids: folder-level sync (docs/protocol.md 7.9), end to end. */
class SubtreeChangesTest {
    private static RunningService service;
    private static SyncFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of());
        fixture = new SyncFixture(service);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        service.close();
    }

    /** A/B/{f1, C/f2}, A/g, D/h, and E/F/e (outside B): the items by name. */
    private record Tree(SyncDevice device, Map<String, Item> items) {
        static Tree of(SyncDevice device) {
            CommitResponse made = device.commit(newFolder("A", "A"), newFolder("B", "A", "B"),
                    newFile("f1", "B", "f1", 1), newFolder("C", "B", "C"), newFile("f2", "C", "f2", 1),
                    newFile("g", "A", "g", 1), newFolder("D", "D"), newFile("h", "D", "h", 1),
                    newFolder("E", "E"), newFolder("F", "E", "F"), newFile("e", "F", "e", 1));
            Map<String, Item> items = new java.util.HashMap<>();
            made.getResultsList().forEach(result -> items.put(result.getCurrent().getName(), result.getCurrent()));
            return new Tree(device, items);
        }

        long id(String name) {
            return items.get(name).getItemId();
        }

        Item item(String name) {
            return items.get(name);
        }
    }

    private static Set<String> names(List<Item> items) {
        Set<String> names = new HashSet<>();
        items.forEach(item -> names.add(item.getName()));
        return names;
    }

    private static Set<String> namesOutOfScope(List<Item> items, boolean outOfScope) {
        Set<String> names = new HashSet<>();
        items.stream().filter(item -> item.getOutOfScope() == outOfScope).forEach(item -> names.add(item.getName()));
        return names;
    }

    private static void assertParentsBeforeChildren(List<Item> items) {
        Set<Long> seen = new HashSet<>();
        for (Item item : items) {
            assertThat(item.getParentId() == 0 || seen.contains(item.getParentId()))
                    .as("parent of %s listed before it", item.getName()).isTrue();
            seen.add(item.getItemId());
        }
    }

    @Test
    void aSubtreeListingHoldsTheFolderItsContentsAndTheFoldersAboveItOnly() {
        Tree tree = Tree.of(fixture.newUser("Ann"));
        for (int pageSize : List.of(0, 1, 2)) {
            SyncDevice.Listing listing = tree.device().listFrom(List.of(tree.id("B")), "", pageSize);

            assertThat(names(listing.items())).as("page size %d", pageSize)
                    .containsExactlyInAnyOrder("A", "B", "f1", "C", "f2");
            assertThat(listing.items()).hasSize(5).noneMatch(Item::getOutOfScope);
            assertParentsBeforeChildren(listing.items());
        }
        SyncDevice.Listing two = tree.device().listFrom(List.of(tree.id("C"), tree.id("F")), "", 1);
        assertThat(names(two.items())).containsExactlyInAnyOrder("A", "B", "C", "f2", "E", "F", "e");
    }

    @Test
    void afterACursorOnlyChangesInsideTheSubtreesAreListed() {
        Tree tree = Tree.of(fixture.newUser("Ann"));
        List<Long> scope = List.of(tree.id("B"));
        String cursor = tree.device().listFrom(scope, "", 0).cursor();
        tree.device().commit(changed(tree.item("h"), 2), renamed(tree.item("g"), "g2"), newFile("x", "x", 1));
        assertThat(tree.device().listFrom(scope, cursor, 0).items()).as("changes outside").isEmpty();

        Item f1 = tree.device().commit(changed(tree.item("f1"), 5)).getResults(0).getCurrent();
        Item renamedA = tree.device().commit(renamed(tree.item("A"), "A2")).getResults(0).getCurrent();
        SyncDevice.Listing later = tree.device().listFrom(scope, cursor, 0);

        assertThat(later.items()).containsExactly(renamedA, f1);
    }

    @Test
    void anItemMovedIntoTheSubtreeArrivesWithEverythingUnderIt() {
        Tree tree = Tree.of(fixture.newUser("Ann"));
        List<Long> scope = List.of(tree.id("B"));
        String cursor = tree.device().listFrom(scope, "", 0).cursor();

        tree.device().commit(moved(tree.item("E"), tree.id("C")));
        SyncDevice.Listing later = tree.device().listFrom(scope, cursor, 1);

        assertThat(names(later.items())).containsExactlyInAnyOrder("E", "F", "e");
        assertThat(later.items()).noneMatch(Item::getOutOfScope);
        assertThat(later.named("E").getParentId()).isEqualTo(tree.id("C"));
        assertThat(tree.device().listFrom(scope, later.cursor(), 0).items()).isEmpty();
    }

    @Test
    void anItemMovedOutOfTheSubtreeIsListedOutOfScopeWithEverythingUnderIt() {
        Tree tree = Tree.of(fixture.newUser("Ann"));
        List<Long> scope = List.of(tree.id("B"));
        String cursor = tree.device().listFrom(scope, "", 0).cursor();

        tree.device().commit(moved(tree.item("C"), tree.id("D")), moved(tree.item("f1"), 0));
        SyncDevice.Listing later = tree.device().listFrom(scope, cursor, 1);

        assertThat(namesOutOfScope(later.items(), true)).containsExactlyInAnyOrder("C", "f2", "f1");
        assertThat(namesOutOfScope(later.items(), false)).isEmpty();
        assertThat(tree.device().listFrom(scope, later.cursor(), 0).items()).isEmpty();
        assertThat(names(tree.device().listFrom(scope, "", 0).items())).containsExactlyInAnyOrder("A", "B");
    }

    @Test
    void aSelectedFolderStaysSelectedWhenItMovesAndItsNewFoldersAboveAreListed() {
        Tree tree = Tree.of(fixture.newUser("Ann"));
        List<Long> scope = List.of(tree.id("C"));
        String cursor = tree.device().listFrom(scope, "", 0).cursor();

        tree.device().commit(moved(tree.item("C"), tree.id("F")));
        SyncDevice.Listing later = tree.device().listFrom(scope, cursor, 1);

        assertThat(names(later.items())).containsExactlyInAnyOrder("E", "F", "C", "f2");
        assertParentsBeforeChildren(later.items());
        assertThat(later.items()).noneMatch(Item::getOutOfScope);
        assertThat(tree.device().listFrom(scope, later.cursor(), 0).items()).isEmpty();
    }

    @Test
    void aDeletedSelectedFolderListsTheTombstonesOfItsSubtree() {
        Tree tree = Tree.of(fixture.newUser("Ann"));
        List<Long> scope = List.of(tree.id("B"));
        String cursor = tree.device().listFrom(scope, "", 0).cursor();

        tree.device().commit(deleted(tree.item("B")));
        SyncDevice.Listing later = tree.device().listFrom(scope, cursor, 0);

        assertThat(names(later.items())).containsExactlyInAnyOrder("B", "f1", "C", "f2");
        assertThat(later.items()).allMatch(item -> item.getStatus() == ItemStatus.ITEM_STATUS_DELETED);
        assertThat(tree.device().listFrom(scope, "", 0).items()).as("no folders above a deleted one").isEmpty();
    }

    @Test
    void aCursorContinuesOnlyTheSelectionItWasHandedOutFor() {
        Tree tree = Tree.of(fixture.newUser("Ann"));
        List<Long> scope = List.of(tree.id("B"), tree.id("F"));
        String midListing = tree.device().changes(scope, "", 1).getNextCursor();
        String scoped = tree.device().listFrom(scope, "", 0).cursor();
        String whole = tree.device().listFrom("", 0).cursor();

        for (String cursor : List.of(midListing, scoped)) {
            assertRefused(() -> tree.device().changes(List.of(tree.id("B")), cursor, 0), "another selection");
            assertRefused(() -> tree.device().changes(List.of(), cursor, 0), "another selection");
        }
        assertRefused(() -> tree.device().changes(scope, whole, 0), "the whole workspace");
        assertThat(tree.device().changes(List.of(tree.id("F"), tree.id("B"), tree.id("F")), scoped, 0)
                .getItemsList()).as("the same selection in another order, with a repeat").isEmpty();
    }

    @Test
    void subtreeIdsThatAreNoFoldersOfTheWorkspaceAreRefused() {
        Tree tree = Tree.of(fixture.newUser("Ann"));
        Tree other = Tree.of(fixture.newUser("Bob"));
        for (long id : List.of(tree.id("f1"), other.id("B"), 0L, -3L, 1L << 50)) {
            assertRefused(() -> tree.device().changes(List.of(tree.id("B"), id), "", 0), "subtree");
        }
        List<Long> tooMany = new java.util.ArrayList<>();
        for (long i = 1; i <= ListingScope.MAX_SUBTREES + 1; i++) {
            tooMany.add(i);
        }
        assertRefused(() -> tree.device().changes(tooMany, "", 0), "at most");
        assertThat(tree.device().client().getServerInfo().getSubtreeSync()).as("announced").isTrue();
    }

    private static void assertRefused(Runnable call, String messagePart) {
        SyncServiceException error = CommitRulesTest.catchService(call);
        assertThat(error.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(error.getMessage()).contains("subtree_ids").contains(messagePart);
    }
}
