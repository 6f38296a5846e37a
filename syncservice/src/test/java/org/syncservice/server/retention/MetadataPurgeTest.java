package org.syncservice.server.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.syncservice.server.testing.CommitItems.changed;
import static org.syncservice.server.testing.CommitItems.deleted;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.Limits;
import org.syncservice.protocol.v1.RestoreVersionRequest;
import org.syncservice.server.testing.Backdating;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/** The metadata purge (docs/retention.md), end to end: what goes, what stays, what clients then see. */
class MetadataPurgeTest {
    private static final Duration MONTH_AND_A_DAY = Duration.ofDays(31);

    private static RunningService service;
    private static SyncFixture fixture;
    private static Backdating backdating;

    @BeforeAll
    static void start() throws Exception {
        // Small batches, so that every test crosses batch boundaries; no background passes.
        service = RunningService.start(Map.of("retention.batch-size", "2", "retention.pause", "0s",
                "retention.interval", "1d"));
        fixture = new SyncFixture(service);
        backdating = new Backdating(service.database().dataSource());
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        service.close();
    }

    private static MetadataPurge.Totals purge() {
        return service.service().components().retention(RetentionObserver.NONE).purge().run(pause -> true);
    }

    private static long count(String sql, Object... parameters) throws Exception {
        return backdating.number(sql, parameters);
    }

    private static UUID id(SyncDevice device) {
        return device.credentials().workspaceId();
    }

    @Test
    void expiredTombstonesArePurgedWithTheirVersionsAndLiveItemsAreUntouched() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        Item kept = ann.create(newFile("k", "kept.txt", 3));
        Item gone = ann.create(newFile("g", "gone.txt", 3));
        ann.commit(changed(kept, 4));
        ann.commit(deleted(gone));
        backdating.workspace(ann.workspace(), MONTH_AND_A_DAY);

        purge();

        assertThat(count("SELECT count(*) FROM items WHERE item_id = ?", gone.getItemId())).isZero();
        assertThat(count("SELECT count(*) FROM item_versions WHERE item_id = ?", gone.getItemId())).isZero();
        assertThat(ann.listAll().items()).extracting(Item::getName).containsExactly("kept.txt");
        assertThat(ann.listAll().named("kept.txt").getVersion()).isEqualTo(2);
    }

    @Test
    void tombstonesYoungerThanTheRetentionStay() throws Exception {
        SyncDevice bea = fixture.newUser("Bea");
        Item gone = bea.create(newFile("g", "gone.txt", 3));
        bea.commit(deleted(gone));
        backdating.workspace(bea.workspace(), Duration.ofDays(29));

        purge();

        assertThat(count("SELECT count(*) FROM items WHERE item_id = ? AND deleted", gone.getItemId())).isOne();
        assertThat(count("SELECT purged_up_to_seq FROM workspaces WHERE workspace_id = ?", id(bea))).isZero();
    }

    @Test
    void aDeletedFolderTreeIsPurgedChildrenFirstAcrossBatches() throws Exception {
        SyncDevice cid = fixture.newUser("Cid");
        CommitResponse tree = cid.commit(newFolder("a", "A"), newFolder("b", "a", "B"), newFile("f", "b", "f.txt", 1),
                newFile("g", "a", "g.txt", 1), newFile("h", "b", "h.txt", 1));
        Item folder = tree.getResults(0).getCurrent();
        cid.commit(deleted(folder));
        backdating.workspace(cid.workspace(), MONTH_AND_A_DAY);

        MetadataPurge.Totals purged = purge();

        assertThat(purged.tombstones()).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM items WHERE workspace_id = ?", id(cid))).isZero();
    }

    @Test
    void versionsSupersededLongAgoArePurgedAndTheLatestIsKept() throws Exception {
        SyncDevice dan = fixture.newUser("Dan");
        Item file = dan.create(newFile("f", "f.txt", 1));
        for (int size = 2; size <= 5; size++) {
            file = dan.commit(changed(file, size)).getResults(0).getCurrent();
        }
        Item untouched = dan.create(newFile("u", "untouched.txt", 1));
        backdating.workspace(dan.workspace(), MONTH_AND_A_DAY);
        Item latest = dan.commit(changed(file, 6)).getResults(0).getCurrent();

        MetadataPurge.Totals purged = purge();

        // Versions 1-4 were superseded over a month ago; 5 only now (by 6), so it stays with 6.
        assertThat(purged.versions()).isEqualTo(4);
        assertThat(dan.versions(file.getItemId())).extracting(Item::getVersion).containsExactly(6L, 5L);
        assertThat(dan.versions(untouched.getItemId())).extracting(Item::getVersion).containsExactly(1L);
        long itemId = file.getItemId();
        assertThatThrownBy(() -> dan.client().restoreVersion(RestoreVersionRequest.newBuilder()
                .setWorkspaceId(dan.workspace()).setItemId(itemId).setVersion(2)
                .setLatestVersion(latest.getVersion()).build()))
                .isInstanceOfSatisfying(SyncServiceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND));
    }

    @Test
    void aCursorOlderThanThePurgeExpiresWhileAFreshCursorWorks() throws Exception {
        SyncDevice eve = fixture.newUser("Eve");
        Item gone = eve.create(newFile("g", "gone.txt", 1));
        String before = eve.listAll().cursor();
        CommitResponse deletion = eve.commit(deleted(gone));
        long deletedAt = deletion.getChangeSeq();
        String atDeletion = eve.listAll().cursor();
        backdating.workspace(eve.workspace(), MONTH_AND_A_DAY);
        eve.create(newFile("n", "new.txt", 1));

        purge();

        assertThat(count("SELECT purged_up_to_seq FROM workspaces WHERE workspace_id = ?", id(eve)))
                .isGreaterThanOrEqualTo(deletedAt);
        assertThatThrownBy(() -> eve.changes(before, 0))
                .isInstanceOfSatisfying(SyncServiceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ERROR_CODE_CURSOR_EXPIRED));
        // A cursor that saw the deletion lost nothing: it goes on, and so does a fresh listing.
        assertThat(eve.listFrom(atDeletion, 0).items()).extracting(Item::getName).containsExactly("new.txt");
        SyncDevice.Listing fresh = eve.listAll();
        assertThat(fresh.items()).extracting(Item::getName).containsExactly("new.txt");
        assertThat(eve.listFrom(fresh.cursor(), 0).items()).isEmpty();
    }

    @Test
    void storedAnswersArePurgedAfterTheWindowAndARetryWithinItGetsTheStoredAnswer() throws Exception {
        SyncDevice fay = fixture.newUser("Fay");
        String recent = UUID.randomUUID().toString();
        String old = UUID.randomUUID().toString();
        CommitItem oldItem = newFile("o", "old.txt", 1);
        CommitItem recentItem = newFile("r", "recent.txt", 1);
        CommitResponse first = fay.commitAs(old, oldItem);
        backdating.workspace(fay.workspace(), Duration.ofDays(8));
        CommitResponse recentFirst = fay.commitAs(recent, recentItem);

        purge();

        assertThat(count("SELECT count(*) FROM request_log WHERE request_id = ?", old)).isZero();
        assertThat(count("SELECT count(*) FROM request_log_items WHERE request_id = ?", old)).isZero();
        CommitResponse retried = fay.commitAs(recent, recentItem);
        assertThat(retried.getChangeSeq()).isEqualTo(recentFirst.getChangeSeq());
        assertThat(retried.getResults(0)).isEqualTo(recentFirst.getResults(0));
        // Beyond the window the retry is evaluated anew: it meets its own first attempt's item.
        CommitItemResult late = fay.commitAs(old, oldItem).getResults(0);
        assertThat(first.getResults(0).getOutcome()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
        assertThat(late.getOutcome()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_ALREADY_COMMITTED);
    }

    @Test
    void twoPurgersAtOnceNeitherFailNorDoubleCount() throws Exception {
        List<SyncDevice> users = new ArrayList<>();
        int perUser = 7;
        for (int u = 0; u < 4; u++) {
            SyncDevice user = fixture.newUser("Purged" + u);
            for (int i = 0; i < perUser; i++) {
                Item item = user.create(newFile("f" + i, "f" + i + ".txt", 1));
                user.commit(deleted(item));
            }
            backdating.workspace(user.workspace(), MONTH_AND_A_DAY);
            users.add(user);
        }
        ExecutorService threads = Executors.newFixedThreadPool(2);
        long purged = 0;
        try {
            List<Callable<MetadataPurge.Totals>> passes = List.of(MetadataPurgeTest::purge, MetadataPurgeTest::purge);
            for (Future<MetadataPurge.Totals> pass : threads.invokeAll(passes)) {
                purged += pass.get().tombstones();
            }
        } finally {
            threads.shutdownNow();
        }
        // A pass skips a workspace the other is purging at that moment; the next pass finishes it.
        purged += purge().tombstones();

        for (SyncDevice user : users) {
            assertThat(count("SELECT count(*) FROM items WHERE workspace_id = ?", id(user))).isZero();
        }
        assertThat(purged).isGreaterThanOrEqualTo(4L * perUser);
        assertThat(count("SELECT count(*) FROM items WHERE deleted AND committed_at < now() - interval '30 days'"))
                .isZero();
    }

    @Test
    void serverInfoAnnouncesTheRetention() {
        SyncDevice gus = fixture.newUser("Gus");
        Limits limits = gus.client().getServerInfo().getLimits();

        assertThat(limits.getIdempotencyWindowMs()).isEqualTo(Duration.ofDays(7).toMillis());
        assertThat(limits.getDeletedItemsRetentionMs()).isEqualTo(Duration.ofDays(30).toMillis());
        assertThat(limits.getOldVersionsRetentionMs()).isEqualTo(Duration.ofDays(30).toMillis());
    }
}
