package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_COMMITTED;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_CONFLICT;
import static org.syncservice.server.testing.CommitItems.changed;
import static org.syncservice.server.testing.CommitItems.deleted;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.renamed;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.protocol.v1.ListItemVersionsResponse;
import org.syncservice.protocol.v1.RestoreVersionRequest;
import org.syncservice.protocol.v1.RestoreVersionResponse;
import org.syncservice.server.testing.RunningSync;
import org.syncservice.server.testing.SyncDevice;

/** list_item_versions and restore_version (docs/protocol.md 7.12, 7.13), end to end. */
class ItemHistoryTest {
    @RegisterExtension
    static final RunningSync running = new RunningSync();

    /** A file with versions 1..count, version v holding v * 10 bytes. */
    private static List<Item> fileWithVersions(SyncDevice device, int count) {
        List<Item> versions = new ArrayList<>();
        Item current = device.create(newFile("t", "doc.txt", 10));
        versions.add(current);
        for (int v = 2; v <= count; v++) {
            current = device.commit(changed(current, v * 10L)).getResults(0).getCurrent();
            versions.add(current);
        }
        return versions;
    }

    private static RestoreVersionResponse restore(SyncDevice device, Item item, long version, long latestVersion) {
        return device.client().restoreVersion(RestoreVersionRequest.newBuilder().setWorkspaceId(device.workspace())
                .setItemId(item.getItemId()).setVersion(version).setLatestVersion(latestVersion).build());
    }

    @Test
    void versionsAreListedNewestFirstInPages() {
        SyncDevice ann = running.fixture().newUser("Ann");
        List<Item> versions = fileWithVersions(ann, 7);
        long id = versions.get(0).getItemId();

        ListItemVersionsResponse first = ann.versionsPage(id, 0, 3);
        ListItemVersionsResponse second = ann.versionsPage(id, 5, 3);
        ListItemVersionsResponse last = ann.versionsPage(id, 2, 3);

        assertThat(first.getVersionsList()).containsExactly(versions.get(6), versions.get(5), versions.get(4));
        assertThat(first.getHasMore()).isTrue();
        assertThat(second.getVersionsList()).extracting(Item::getVersion).containsExactly(4L, 3L, 2L);
        assertThat(second.getHasMore()).isTrue();
        assertThat(last.getVersionsList()).extracting(Item::getVersion).containsExactly(1L);
        assertThat(last.getHasMore()).isFalse();
        assertThat(ann.versionsPage(id, 0, 7).getHasMore()).isFalse();
    }

    @Test
    void restoreCommitsTheOldContentAsTheNextVersion() {
        SyncDevice ann = running.fixture().newUser("Ann");
        List<Item> versions = fileWithVersions(ann, 3);
        Item v1 = versions.get(0);
        long quotaBefore = ann.quotaUsed();

        RestoreVersionResponse response = restore(ann, v1, 1, 3);

        CommitItemResult result = response.getResult();
        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(result.getCurrent().getVersion()).isEqualTo(4);
        assertThat(result.getCurrent().getChunksList()).isEqualTo(v1.getChunksList());
        assertThat(result.getCurrent().getChecksum()).isEqualTo(v1.getChecksum());
        assertThat(result.getCurrent().getSize()).isEqualTo(v1.getSize());
        assertThat(response.getChangeSeq()).isEqualTo(result.getCurrent().getChangeSeq()).isEqualTo(4);
        assertThat(ann.listAll().named("doc.txt")).isEqualTo(result.getCurrent());
        assertThat(ann.quotaUsed()).isEqualTo(quotaBefore - 30 + 10);
        assertThat(ann.versions(v1.getItemId())).extracting(Item::getVersion).containsExactly(4L, 3L, 2L, 1L);
    }

    @Test
    void restoreBringsBackTheOldName() {
        SyncDevice ann = running.fixture().newUser("Ann");
        Item v1 = ann.create(newFile("t", "old.txt", 10));
        Item v2 = ann.commit(renamed(v1, "new.txt")).getResults(0).getCurrent();

        CommitItemResult result = restore(ann, v2, 1, 2).getResult();

        assertThat(result.getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(result.getCurrent().getName()).isEqualTo("old.txt");
        assertThat(result.getCurrent().getVersion()).isEqualTo(3);
    }

    @Test
    void restoringWithAStaleLatestVersionIsAConflict() {
        SyncDevice ann = running.fixture().newUser("Ann");
        List<Item> versions = fileWithVersions(ann, 3);
        Item v1 = versions.get(0);

        for (long stale : new long[] {1, 2, 4}) {
            RestoreVersionResponse response = restore(ann, v1, 1, stale);
            assertThat(response.getResult().getOutcome()).as("latest_version %d", stale)
                    .isEqualTo(COMMIT_OUTCOME_CONFLICT);
            assertThat(response.getResult().getCurrent()).isEqualTo(versions.get(2));
            assertThat(response.getChangeSeq()).isZero();
        }
        // v3 has v1's content again: a stale restore must still not pass for a replay.
        Item v4 = ann.commit(changed(versions.get(2), 10).toBuilder().setChecksum(v1.getChecksum()).clearChunks()
                .addAllChunks(v1.getChunksList()).build()).getResults(0).getCurrent();
        assertThat(restore(ann, v1, 1, 3).getResult().getOutcome()).isEqualTo(COMMIT_OUTCOME_CONFLICT);
        assertThat(ann.versions(v1.getItemId())).hasSize(4);
        assertThat(ann.listAll().named("doc.txt")).isEqualTo(v4);
    }

    @Test
    void restoringADeletedFileBringsItBack() {
        SyncDevice ann = running.fixture().newUser("Ann");
        List<Item> versions = fileWithVersions(ann, 2);
        Item tombstone = ann.commit(deleted(versions.get(1))).getResults(0).getCurrent();
        assertThat(ann.listAll().items()).isEmpty();
        assertThat(ann.quotaUsed()).isZero();
        String cursor = ann.listAll().cursor();

        RestoreVersionResponse response = restore(ann, tombstone, 2, 3);

        assertThat(response.getResult().getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        Item back = response.getResult().getCurrent();
        assertThat(back.getVersion()).isEqualTo(4);
        assertThat(back.getStatus()).isNotEqualTo(ItemStatus.ITEM_STATUS_DELETED);
        assertThat(back.getChunksList()).isEqualTo(versions.get(1).getChunksList());
        assertThat(ann.listAll().items()).containsExactly(back);
        assertThat(ann.listFrom(cursor, 0).items()).containsExactly(back);
        assertThat(ann.quotaUsed()).isEqualTo(20);
    }

    @Test
    void restoringAVersionThatDoesNotExistIsNotFound() {
        SyncDevice ann = running.fixture().newUser("Ann");
        List<Item> versions = fileWithVersions(ann, 2);

        assertThat(CommitRulesTest.catchService(() -> restore(ann, versions.get(0), 9, 2)).code())
                .isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);
        assertThat(ann.versions(versions.get(0).getItemId())).hasSize(2);
    }
}
