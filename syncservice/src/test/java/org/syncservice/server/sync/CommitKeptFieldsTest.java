package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_ALREADY_COMMITTED;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_COMMITTED;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_REJECTED;
import static org.syncservice.server.sync.CommitRulesTest.only;
import static org.syncservice.server.testing.CommitItems.changed;
import static org.syncservice.server.testing.CommitItems.checksum;
import static org.syncservice.server.testing.CommitItems.chunk;
import static org.syncservice.server.testing.CommitItems.deleted;
import static org.syncservice.server.testing.CommitItems.in;
import static org.syncservice.server.testing.CommitItems.moved;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;
import static org.syncservice.server.testing.CommitItems.next;
import static org.syncservice.server.testing.CommitItems.renamed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.syncservice.client.SyncClient;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.protocol.v1.RejectReason;
import org.syncservice.server.testing.RunningSync;
import org.syncservice.server.testing.SyncDevice;

/**
 * What RENAMED, MOVED and DELETED keep of the version they follow, versions that change nothing,
 * and the version ALREADY_COMMITTED reports (docs/protocol.md 7.10), end to end.
 */
class CommitKeptFieldsTest {
    @RegisterExtension
    static final RunningSync running = new RunningSync();

    /** A commit item naming only the item, the version it creates and its status. */
    private static CommitItem.Builder bare(Item current, ItemStatus status) {
        return CommitItem.newBuilder().setItemId(current.getItemId()).setVersion(current.getVersion() + 1)
                .setStatus(status);
    }

    private static void assertSameContent(Item actual, Item expected) {
        assertThat(actual.getChecksum()).isEqualTo(expected.getChecksum()).isNotEmpty();
        assertThat(actual.getSize()).isEqualTo(expected.getSize()).isPositive();
        assertThat(actual.getChunksList()).isEqualTo(expected.getChunksList()).isNotEmpty();
        assertThat(actual.getMimeType()).isEqualTo(expected.getMimeType());
        assertThat(actual.getModifiedAtMs()).isEqualTo(expected.getModifiedAtMs());
    }

    private static void assertInvalidField(CommitItemResult result, String field) {
        assertThat(result.getOutcome()).as("%s", result).isEqualTo(COMMIT_OUTCOME_REJECTED);
        assertThat(result.getReason()).as("%s", result).isEqualTo(RejectReason.REJECT_REASON_INVALID_FIELD);
        assertThat(result.getMessage()).startsWith(field + ":");
    }

    // ---- RENAMED and MOVED keep the content ----

    @Test
    void aRenameGivingOnlyTheNameKeepsTheParentSizeChecksumAndChunks() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item folder = ann.create(newFolder("f", "Docs"));
        Item file = ann.create(in(folder.getItemId(), newFile("t", "a.txt", 1234)));

        CommitItemResult result = only(ann.commit(bare(file, ItemStatus.ITEM_STATUS_RENAMED).setName("b.txt").build()));

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        Item listed = ann.listAll().named("b.txt");
        assertThat(listed.getParentId()).isEqualTo(folder.getItemId());
        assertThat(listed.getStatus()).isEqualTo(ItemStatus.ITEM_STATUS_RENAMED);
        assertSameContent(listed, file);
        assertSameContent(ann.versions(file.getItemId()).get(0), file);
        assertThat(ann.quotaUsed()).isEqualTo(1234);
    }

    @Test
    void aMoveGivingOnlyTheParentKeepsTheNameAndTheContent() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item folder = ann.create(newFolder("f", "Docs"));
        Item file = ann.create(newFile("t", "a.txt", 77));

        CommitItemResult result = only(ann.commit(bare(file, ItemStatus.ITEM_STATUS_MOVED)
                .setParentId(folder.getItemId()).build()));

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        Item listed = ann.listAll().named("a.txt");
        assertThat(listed.getParentId()).isEqualTo(folder.getItemId());
        assertSameContent(listed, file);
        assertSameContent(ann.versions(file.getItemId()).get(0), file);
    }

    @Test
    void aFolderCanBeRenamedGivingOnlyTheName() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item folder = ann.create(newFolder("f", "Docs"));

        CommitItemResult result = only(ann.commit(bare(folder, ItemStatus.ITEM_STATUS_RENAMED).setName("Papers").build()));

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(result.getCurrent().getIsFolder()).isTrue();
        assertThat(result.getCurrent().getName()).isEqualTo("Papers");
    }

    @Test
    void aRenameOrMoveThatChangesTheBytesIsInvalidFieldNamingTheField() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item folder = ann.create(newFolder("f", "Docs"));
        Item file = ann.create(newFile("t", "a.txt", 10));

        assertInvalidField(only(ann.commit(renamed(file, "b.txt").toBuilder()
                .setChecksum(checksum("other")).build())), "checksum");
        assertInvalidField(only(ann.commit(bare(file, ItemStatus.ITEM_STATUS_RENAMED).setName("b.txt")
                .setChecksum(checksum("other")).build())), "checksum");
        assertInvalidField(only(ann.commit(renamed(file, "b.txt").toBuilder().setSize(11).build())), "size");
        assertInvalidField(only(ann.commit(moved(file, folder.getItemId()).toBuilder()
                .clearChunks().addChunks(chunk()).build())), "chunks");
        assertThat(only(ann.commit(renamed(file, "b.txt").toBuilder().setChecksum(checksum("other")).build()))
                .getMessage()).contains("RENAMED version keeps the content; send CHANGED to change it");
        assertThat(ann.versions(file.getItemId())).hasSize(1);
    }

    @Test
    void aRenameMayGiveTheFilesNewMimeTypeAndModificationTime() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item file = ann.create(newFile("t", "notes.txt", 10));

        Item renamed = only(ann.commit(bare(file, ItemStatus.ITEM_STATUS_RENAMED).setName("notes.md")
                .setMimeType("text/markdown").setModifiedAtMs(file.getModifiedAtMs() + 1000).build())).getCurrent();

        assertThat(renamed.getMimeType()).isEqualTo("text/markdown");
        assertThat(renamed.getModifiedAtMs()).isEqualTo(file.getModifiedAtMs() + 1000);
        assertThat(renamed.getChecksum()).isEqualTo(file.getChecksum());
    }

    // ---- DELETED ----

    @Test
    void aDeleteGivingOnlyIdAndVersionLeavesTheDocumentedTombstone() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item folder = ann.create(newFolder("f", "Docs"));
        Item file = ann.create(in(folder.getItemId(), newFile("t", "a.txt", 10)));
        String cursor = ann.listAll().cursor();

        CommitResponse response = ann.commit(bare(file, ItemStatus.ITEM_STATUS_DELETED).build());

        assertThat(only(response).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        Item tombstone = ann.listFrom(cursor, 0).items().get(0);
        assertThat(tombstone).isEqualTo(only(response).getCurrent());
        assertThat(tombstone.getStatus()).isEqualTo(ItemStatus.ITEM_STATUS_DELETED);
        assertThat(tombstone.getVersion()).isEqualTo(2);
        assertThat(tombstone.getName()).isEqualTo("a.txt");
        assertThat(tombstone.getParentId()).isEqualTo(folder.getItemId());
        assertThat(tombstone.getIsFolder()).isFalse();
        assertThat(tombstone.getMimeType()).isEqualTo(file.getMimeType());
        assertThat(tombstone.getModifiedAtMs()).isEqualTo(file.getModifiedAtMs());
        assertThat(tombstone.getSize()).isZero();
        assertThat(tombstone.getChecksum()).isEmpty();
        assertThat(tombstone.getChunksList()).isEmpty();
        assertThat(tombstone.getChangeSeq()).isEqualTo(response.getChangeSeq());
        assertThat(ann.versions(file.getItemId()).get(0)).isEqualTo(tombstone);
        assertThat(ann.quotaUsed()).isZero();
    }

    @Test
    void aFolderIsDeletedGivingOnlyIdAndVersion() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item folder = ann.create(newFolder("f", "Docs"));

        CommitItemResult result = only(ann.commit(bare(folder, ItemStatus.ITEM_STATUS_DELETED).build()));

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(result.getCurrent().getIsFolder()).isTrue();
        assertThat(ann.listAll().items()).isEmpty();
    }

    @Test
    void aDeleteGivingFieldsThatDisagreeWithTheLatestVersionIsInvalidFieldNamingTheField() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item folder = ann.create(newFolder("f", "Docs"));
        Item other = ann.create(newFolder("o", "Other"));
        Item file = ann.create(in(folder.getItemId(), newFile("t", "a.txt", 10)));

        assertInvalidField(only(ann.commit(deleted(file).toBuilder().setParentId(other.getItemId()).build())),
                "parent_id");
        assertInvalidField(only(ann.commit(bare(file, ItemStatus.ITEM_STATUS_DELETED).setName("b.txt").build())),
                "name");
        assertInvalidField(only(ann.commit(bare(file, ItemStatus.ITEM_STATUS_DELETED).setIsFolder(true).build())),
                "is_folder");
        assertInvalidField(only(ann.commit(bare(file, ItemStatus.ITEM_STATUS_DELETED)
                .setChecksum(checksum("other")).build())), "checksum");
        assertThat(ann.versions(file.getItemId())).hasSize(1);
    }

    @Test
    void aDeleteWithTheLatestVersionsFullMetadataIsAcceptedWithOrWithoutItsChunks() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item folder = ann.create(newFolder("f", "Docs"));
        Item first = ann.create(in(folder.getItemId(), newFile("a", "a.txt", 10)));
        Item second = ann.create(in(folder.getItemId(), newFile("b", "b.txt", 10)));

        CommitResponse response = ann.commit(deleted(first), // chunks cleared, as the demo sends it
                next(second, ItemStatus.ITEM_STATUS_DELETED).build()); // every field as it is, as the bench sends it

        assertThat(response.getResultsList()).extracting(CommitItemResult::getOutcome)
                .containsOnly(COMMIT_OUTCOME_COMMITTED);
        assertThat(response.getResults(1).getCurrent().getChunksList()).isEmpty();
    }

    // ---- versions that change nothing ----

    @Test
    void aRenameToTheSameNameIsAlreadyCommittedWithTheLatestVersionAndStoresNothing() throws SQLException {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item file = ann.create(newFile("t", "a.txt", 10));
        long seq = ann.changeSeq();
        long outbox = outboxRows(ann);

        CommitResponse rename = ann.commit(renamed(file, "a.txt"));
        CommitResponse bareRename = ann.commit(bare(file, ItemStatus.ITEM_STATUS_RENAMED).setName("a.txt").build());
        CommitResponse move = ann.commit(moved(file, 0));

        for (CommitResponse response : List.of(rename, bareRename, move)) {
            assertThat(only(response).getOutcome()).isEqualTo(COMMIT_OUTCOME_ALREADY_COMMITTED);
            assertThat(only(response).getCurrent()).isEqualTo(file);
            assertThat(response.getChangeSeq()).isZero();
        }
        assertThat(ann.changeSeq()).isEqualTo(seq);
        assertThat(outboxRows(ann)).isEqualTo(outbox);
        assertThat(ann.versions(file.getItemId())).containsExactly(file);
    }

    @Test
    void aChangeToTheContentTheFileHasIsAlreadyCommittedAndAChangeOfOnlyItsTimeIsStored() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item file = ann.create(newFile("t", "a.txt", 10));

        CommitResponse same = ann.commit(next(file, ItemStatus.ITEM_STATUS_CHANGED).build());
        CommitResponse touched = ann.commit(next(file, ItemStatus.ITEM_STATUS_CHANGED)
                .setModifiedAtMs(file.getModifiedAtMs() + 1).build());

        assertThat(only(same).getOutcome()).isEqualTo(COMMIT_OUTCOME_ALREADY_COMMITTED);
        assertThat(same.getChangeSeq()).isZero();
        assertThat(only(touched).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(only(touched).getCurrent().getVersion()).isEqualTo(2);
    }

    @Test
    void renamingAwayAndBackIsAlreadyCommittedWithTheLatestVersion() {
        SyncDevice ann = running.fixture().newUser("Ann");
        SyncDevice phone = running.fixture().anotherDevice(ann, "phone");
        Item v1 = ann.create(newFile("t", "a.txt", 10));
        Item v2 = only(ann.commit(renamed(v1, "b.txt"))).getCurrent();
        Item v3 = only(ann.commit(renamed(v2, "a.txt"))).getCurrent();

        // The phone renamed its copy to b.txt and back before syncing: it wants what version 3 is.
        CommitItemResult result = only(phone.commit(renamed(v3, "a.txt")));

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_ALREADY_COMMITTED);
        assertThat(result.getCurrent()).isEqualTo(v3);
    }

    // ---- ALREADY_COMMITTED reports the latest version ----

    /** A file at version 3, and the commit item that made its version 2 (other content than 3's). */
    private record ThreeVersions(CommitItem second, Item latest) {
        static ThreeVersions of(SyncDevice device) {
            Item v1 = device.create(newFile("t", "a.txt", 10));
            CommitItem second = changed(v1, 20);
            Item v2 = only(device.commit(second)).getCurrent();
            return new ThreeVersions(second, only(device.commit(changed(v2, 30))).getCurrent());
        }
    }

    @Test
    void anOldVersionsExactContentUnderANewRequestIdIsAlreadyCommittedWithTheLatestVersion() {
        SyncDevice ann = running.fixture().newUser("Ann");
        ThreeVersions file = ThreeVersions.of(ann);

        CommitItemResult result = only(ann.commit(file.second()));

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_ALREADY_COMMITTED);
        assertThat(result.getCurrent()).isEqualTo(file.latest());
    }

    @Test
    void aRenameGivingOnlyTheNameSentAgainUnderANewRequestIdIsAlreadyCommitted() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item v1 = ann.create(newFile("t", "a.txt", 10));
        CommitItem rename = bare(v1, ItemStatus.ITEM_STATUS_RENAMED).setName("b.txt").build();
        only(ann.commit(rename));
        Item v3 = only(ann.commit(changed(ann.versions(v1.getItemId()).get(0), 30))).getCurrent();

        CommitItemResult again = only(ann.commit(rename));

        assertThat(again.getOutcome()).isEqualTo(COMMIT_OUTCOME_ALREADY_COMMITTED);
        assertThat(again.getCurrent()).isEqualTo(v3);
    }

    @Test
    void aRetryWithTheSameRequestIdGetsTheFirstAnswerEvenAfterNewerVersions() {
        SyncDevice ann = running.fixture().newUser("Ann");
        ThreeVersions file = ThreeVersions.of(ann);
        String requestId = SyncClient.newRequestId();
        CommitResponse first = ann.commitAs(requestId, file.second());
        only(ann.commit(changed(file.latest(), 40)));

        CommitResponse retry = ann.commitAs(requestId, file.second());

        assertThat(only(first).getCurrent()).isEqualTo(file.latest());
        assertThat(retry).isEqualTo(first);
    }

    private static long outboxRows(SyncDevice device) throws SQLException {
        try (Connection connection = running.service().database().dataSource().getConnection();
             PreparedStatement count = connection.prepareStatement(
                     "SELECT count(*) FROM outbox WHERE workspace_id = ?")) {
            count.setObject(1, UUID.fromString(device.workspace()));
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
