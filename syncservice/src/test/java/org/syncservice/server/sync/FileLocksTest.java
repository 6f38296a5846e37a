package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_COMMITTED;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_REJECTED;
import static org.syncservice.server.sync.CommitRulesTest.catchService;
import static org.syncservice.server.testing.CommitItems.changed;
import static org.syncservice.server.testing.CommitItems.deleted;
import static org.syncservice.server.testing.CommitItems.in;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemLock;
import org.syncservice.protocol.v1.LockItemRequest;
import org.syncservice.protocol.v1.RejectReason;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.protocol.v1.UnlockItemRequest;
import org.syncservice.protocol.v1.UnlockItemResponse;
import org.syncservice.server.testing.RunningSync;
import org.syncservice.server.testing.Seeded;
import org.syncservice.server.testing.SyncDevice;

/** File locks end to end: lock_item, unlock_item, and what they do to commits, listings and the outbox. */
class FileLocksTest {
    /** Rounds of each race; a long run: -Dsyncservice.test.lockRounds=2000. */
    private static final int ROUNDS = Integer.getInteger("syncservice.test.lockRounds", 60);
    /** Replays the races' choices (which device starts first, its head start, how the winner lets go). */
    private static final String SEED_PROPERTY = "syncservice.test.lockSeed";

    @RegisterExtension
    static final RunningSync running = new RunningSync();

    private static ItemLock lock(SyncDevice device, String workspaceId, Item item, long durationMs, String reason) {
        return device.client().lockItem(LockItemRequest.newBuilder().setWorkspaceId(workspaceId)
                .setItemId(item.getItemId()).setDurationMs(durationMs).setReason(reason).build()).getLock();
    }

    private static ItemLock lock(SyncDevice device, Item item) {
        return lock(device, device.workspace(), item, 0, "");
    }

    private static UnlockItemResponse unlock(SyncDevice device, String workspaceId, Item item) {
        return device.client().unlockItem(UnlockItemRequest.newBuilder().setWorkspaceId(workspaceId)
                .setItemId(item.getItemId()).build());
    }

    private static CommitItemResult commitIn(SyncDevice device, String workspaceId, boolean release,
                                             org.syncservice.protocol.v1.CommitItem item) {
        return device.client().commit(CommitRequest.newBuilder().setWorkspaceId(workspaceId).addItems(item)
                .setReleaseLocks(release).build()).getResults(0);
    }

    @Test
    void aFileLockedByOneDeviceRefusesTheOthersCommitNamingTheHolderAndTakesTheHolders() {
        SyncDevice laptop = running.fixture().newUser("Ann");
        SyncDevice phone = running.fixture().anotherDevice(laptop, "phone");
        Item file = laptop.create(newFile("f", "plan.odt", 10));

        ItemLock taken = lock(laptop, laptop.workspace(), file, 0, "rewriting chapter 2");
        assertThat(taken.getHolderDeviceId()).isEqualTo(laptop.deviceId());
        assertThat(taken.getHolderName()).isEqualTo("Ann");
        assertThat(taken.getHolderDeviceName()).isEqualTo("laptop");
        var info = laptop.client().getServerInfo();
        assertThat(info.getOperationsList()).contains("lock_item", "unlock_item");
        assertThat(info.getLimits().getMaxLockDurationMs()).isEqualTo(8 * 3_600_000L);
        long defaultMs = info.getLimits().getDefaultLockDurationMs();
        assertThat(defaultMs).isEqualTo(30 * 60_000L);
        assertThat(taken.getExpiresAtMs() - taken.getLockedAtMs()).isEqualTo(defaultMs);

        CommitItemResult refused = phone.commit(changed(file, 20)).getResults(0);
        assertThat(refused.getOutcome()).isEqualTo(COMMIT_OUTCOME_REJECTED);
        assertThat(refused.getReason()).isEqualTo(RejectReason.REJECT_REASON_LOCKED);
        assertThat(refused.getLock().getHolderDeviceId()).isEqualTo(laptop.deviceId());
        assertThat(refused.getMessage()).contains("Ann on laptop", "rewriting chapter 2");
        assertThat(catchService(() -> lock(phone, file)).code()).isEqualTo(ErrorCode.ERROR_CODE_CONFLICT);

        Item listed = phone.listAll().named("plan.odt");
        assertThat(listed.getLock().getHolderDeviceId()).isEqualTo(laptop.deviceId());
        assertThat(listed.getVersion()).isEqualTo(1);

        Item edited = laptop.commit(changed(file, 30)).getResults(0).getCurrent();
        assertThat(edited.getVersion()).isEqualTo(2);
        assertThat(phone.listAll().named("plan.odt").hasLock()).as("the holder's commit keeps the lock").isTrue();
    }

    @Test
    void theHolderRenewsByLockingAgainAndALockPastItsExpiryStopsCounting() throws Exception {
        SyncDevice laptop = running.fixture().newUser("Ann");
        SyncDevice phone = running.fixture().anotherDevice(laptop, "phone");
        Item file = laptop.create(newFile("f", "plan.odt", 10));
        ItemLock first = lock(laptop, laptop.workspace(), file, 60_000, "a");
        Thread.sleep(5);

        ItemLock renewed = lock(laptop, laptop.workspace(), file, 120_000, "b");
        assertThat(renewed.getLockedAtMs()).isEqualTo(first.getLockedAtMs());
        assertThat(renewed.getExpiresAtMs()).isGreaterThan(first.getExpiresAtMs());
        assertThat(renewed.getReason()).isEqualTo("b");

        ItemLock capped = lock(laptop, laptop.workspace(), file, 365L * 24 * 3_600_000, "");
        assertThat(capped.getExpiresAtMs() - System.currentTimeMillis()).isLessThanOrEqualTo(8 * 3_600_000L);

        Item other = laptop.create(newFile("g", "short.odt", 10));
        ItemLock brief = lock(laptop, laptop.workspace(), other, 1, "");
        while (System.currentTimeMillis() <= brief.getExpiresAtMs() + 5) {
            Thread.sleep(2);
        }
        assertThat(phone.commit(changed(other, 20)).getResults(0).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(phone.listAll().named("short.odt").hasLock()).isFalse();
        assertThat(lock(phone, phone.listAll().named("short.odt")).getHolderDeviceId()).isEqualTo(phone.deviceId());
    }

    @Test
    void onlyLiveFilesTakeLocksAndBadArgumentsNameTheirField() {
        SyncDevice laptop = running.fixture().newUser("Ann");
        Item folder = laptop.create(newFolder("d", "docs"));
        Item file = laptop.create(newFile("f", "plan.odt", 10));

        SyncServiceException onFolder = catchService(() -> lock(laptop, folder));
        assertThat(onFolder.code()).isEqualTo(ErrorCode.ERROR_CODE_INVALID_ARGUMENT);
        assertThat(onFolder.field()).hasValue("lock_item.item_id");
        assertThat(catchService(() -> lock(laptop, laptop.workspace(), file, -1, "")).field())
                .hasValue("lock_item.duration_ms");
        assertThat(catchService(() -> lock(laptop, laptop.workspace(), file, 0, "x".repeat(257))).field())
                .hasValue("lock_item.reason");
        assertThat(catchService(() -> lock(laptop, laptop.workspace(), file.toBuilder().setItemId(1L << 50).build(),
                0, "")).code()).isEqualTo(ErrorCode.ERROR_CODE_NOT_FOUND);

        Item gone = laptop.commit(deleted(file)).getResults(0).getCurrent();
        assertThat(catchService(() -> lock(laptop, gone)).field()).hasValue("lock_item.item_id");
    }

    @Test
    void theHoldersDeleteOrReleaseEndsItsLockAndAnotherDeviceCannotDeleteAFolderAboveALockedFile() throws Exception {
        SyncDevice laptop = running.fixture().newUser("Ann");
        SyncDevice phone = running.fixture().anotherDevice(laptop, "phone");
        Item folder = laptop.create(newFolder("d", "docs"));
        Item inside = laptop.create(in(folder.getItemId(), newFile("f", "plan.odt", 10)));
        Item released = laptop.create(newFile("r", "notes.txt", 10));
        lock(laptop, inside);
        lock(laptop, released);

        CommitItemResult folderDelete = phone.commit(deleted(folder)).getResults(0);
        assertThat(folderDelete.getReason()).isEqualTo(RejectReason.REJECT_REASON_LOCKED);

        Item edited = commitIn(laptop, laptop.workspace(), true, changed(released, 20)).getCurrent();
        assertThat(phone.commit(changed(edited, 30)).getResults(0).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);

        assertThat(laptop.commit(deleted(folder)).getResults(0).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(lockEvents(laptop.workspace())).containsExactly("ITEM_LOCKED " + inside.getItemId() + " null",
                "ITEM_LOCKED " + released.getItemId() + " null",
                "ITEM_UNLOCKED " + released.getItemId() + " RELEASED",
                "ITEM_UNLOCKED " + inside.getItemId() + " DELETED");
        assertThat(count("SELECT count(*) FROM item_locks WHERE workspace_id = '" + laptop.workspace() + "'"))
                .isZero();
        // The publisher rebuilds and sends each lock event: none is left behind with an error.
        String unpublished = "SELECT count(*) FROM outbox WHERE workspace_id = '" + laptop.workspace()
                + "' AND kind LIKE 'ITEM_%' AND (published_at IS NULL OR last_error IS NOT NULL)";
        for (int wait = 0; wait < 300 && count(unpublished) > 0; wait++) {
            Thread.sleep(100);
        }
        assertThat(count(unpublished)).as("lock events not published").isZero();
    }

    @Test
    void theOwnerBreaksAMembersLockAndAMemberMayNotEndAnotherMembersLock() throws Exception {
        SyncDevice ann = running.fixture().newUser("Ann");
        SyncDevice bob = running.fixture().newUser("Bob");
        Item folder = ann.create(newFolder("d", "team"));
        ann.create(in(folder.getItemId(), newFile("f", "plan.odt", 10)));
        String shared = ann.client().shareFolder(ShareFolderRequest.newBuilder().setWorkspaceId(ann.workspace())
                .setFolderId(folder.getItemId()).addEmails(bob.credentials().email()).build())
                .getWorkspace().getWorkspaceId();
        Item file = bob.client().getChanges(org.syncservice.protocol.v1.GetChangesRequest.newBuilder()
                .setWorkspaceId(shared).build()).getItems(0);

        lock(ann, shared, file, 0, "");
        SyncServiceException denied = catchService(() -> unlock(bob, shared, file));
        assertThat(denied.code()).isEqualTo(ErrorCode.ERROR_CODE_PERMISSION_DENIED);
        assertThat(unlock(ann, shared, file).getWasLocked()).isTrue();

        lock(bob, shared, file, 0, "");
        assertThat(commitIn(ann, shared, false, changed(file, 20)).getReason())
                .isEqualTo(RejectReason.REJECT_REASON_LOCKED);
        UnlockItemResponse broken = unlock(ann, shared, file);
        assertThat(broken.getWasLocked()).isTrue();
        assertThat(broken.getBroken()).isTrue();
        assertThat(unlock(ann, shared, file).getWasLocked()).as("nothing left to unlock").isFalse();
        assertThat(commitIn(ann, shared, false, changed(file, 20)).getOutcome()).isEqualTo(COMMIT_OUTCOME_COMMITTED);
        assertThat(lockEvents(shared)).last().isEqualTo("ITEM_UNLOCKED " + file.getItemId() + " BROKEN");
    }

    /**
     * Two devices lock one file at the same moment, every round: exactly one gets the lock, the other
     * CONFLICT naming it. A failure names its seed; -Dsyncservice.test.lockSeed=<seed> replays the
     * rounds' choices (which device starts first, its head start, how the winner lets go).
     */
    @Test
    void twoDevicesLockingOneFileExactlyOneWinsEveryRound() {
        Seeded.run(SEED_PROPERTY, "the lock race", this::raceLocks);
    }

    /** Two devices of one user, and the file they race for. */
    private record Racers(SyncDevice laptop, SyncDevice phone, Item file) {
        static Racers ofNewUser() {
            SyncDevice laptop = running.fixture().newUser("Racer");
            return new Racers(laptop, running.fixture().anotherDevice(laptop, "phone"),
                    laptop.create(newFile("f", "contested.odt", 1)));
        }
    }

    private void raceLocks(Random random) throws Exception {
        Racers racers = Racers.ofNewUser();
        SyncDevice laptop = racers.laptop();
        SyncDevice phone = racers.phone();
        Item file = racers.file();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                int headStartMicros = random.nextInt(300);
                boolean laptopFirst = random.nextBoolean();
                List<Outcome<ItemLock>> outcomes = race(pool,
                        () -> lock(laptop, file), () -> lock(phone, file), laptopFirst, headStartMicros);
                List<Outcome<ItemLock>> won = outcomes.stream().filter(o -> o.value != null).toList();
                assertThat(won).as("round %d: exactly one lock", round).hasSize(1);
                Outcome<ItemLock> lost = outcomes.stream().filter(o -> o.value == null).findFirst().orElseThrow();
                assertThat(lost.failure.code()).as("round %d", round).isEqualTo(ErrorCode.ERROR_CODE_CONFLICT);
                String winner = won.get(0).value.getHolderDeviceId();
                assertThat(lost.failure.getMessage()).contains(winner.equals(laptop.deviceId()) ? "laptop" : "phone");
                SyncDevice holder = winner.equals(laptop.deviceId()) ? laptop : phone;
                assertThat(unlock(holder, holder.workspace(), file).getWasLocked()).as("round %d", round).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One device locks a file while another commits it, every round: the commit lands before the lock
     * (its outbox row comes first: both are written under the workspace's row lock, in the order they
     * took it) or it is refused as LOCKED; never committed after the lock. Seeded as above
     * (-Dsyncservice.test.lockSeed).
     */
    @Test
    void aLockRacingACommitOfTheFileLetsTheCommitLandBeforeItOrRefusesIt() {
        Seeded.run(SEED_PROPERTY, "the lock and commit race", this::raceLockAndCommit);
    }

    private void raceLockAndCommit(Random random) throws Exception {
        Racers racers = Racers.ofNewUser();
        SyncDevice laptop = racers.laptop();
        SyncDevice phone = racers.phone();
        Item file = racers.file();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int landedFirst = 0;
        int refused = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Item base = file;
                long size = 2 + round;
                List<Outcome<Object>> outcomes = race(pool, () -> lock(laptop, base),
                        () -> phone.commit(changed(base, size)).getResults(0), random.nextBoolean(),
                        random.nextInt(300));
                assertThat(outcomes.get(0).value).as("round %d: the lock is taken", round).isNotNull();
                CommitItemResult commit = (CommitItemResult) outcomes.get(1).value;
                assertThat(commit).as("round %d: the commit is answered", round).isNotNull();
                if (commit.getOutcome() == COMMIT_OUTCOME_COMMITTED) {
                    landedFirst++;
                    assertThat(firstOf(laptop.workspace(), commit.getCurrent().getChangeSeq()))
                            .as("round %d: a commit that passed landed before the lock", round).isEqualTo("COMMIT");
                    file = commit.getCurrent();
                } else {
                    refused++;
                    assertThat(commit.getReason()).as("round %d", round).isEqualTo(RejectReason.REJECT_REASON_LOCKED);
                }
                assertThat(unlock(laptop, laptop.workspace(), base).getWasLocked()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(landedFirst + refused).isEqualTo(ROUNDS);
    }

    /** A call's answer or its failure. */
    private record Outcome<T>(T value, SyncServiceException failure) {
    }

    /** Runs two calls at once, the first-named one given a head start; their outcomes in the calls' order. */
    @SuppressWarnings("unchecked")
    private static <T> List<Outcome<T>> race(ExecutorService pool, Callable<? extends T> a, Callable<? extends T> b,
                                             boolean aFirst, int headStartMicros) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Future<Outcome<T>>> calls = new ArrayList<>();
        for (Callable<? extends T> call : List.of(a, b)) {
            boolean delayed = (call == a) != aFirst;
            calls.add(pool.submit(() -> {
                barrier.await(10, TimeUnit.SECONDS);
                if (delayed) {
                    long until = System.nanoTime() + headStartMicros * 1_000L;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
                try {
                    return new Outcome<>((T) call.call(), null);
                } catch (SyncServiceException e) {
                    return new Outcome<>(null, e);
                }
            }));
        }
        List<Outcome<T>> outcomes = new ArrayList<>();
        for (Future<Outcome<T>> call : calls) {
            outcomes.add(call.get(30, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    /** The workspace's lock events in the order they were written: kind, item, how the lock ended. */
    private static List<String> lockEvents(String workspaceId) throws Exception {
        List<String> events = new ArrayList<>();
        try (Connection c = running.service().database().dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT kind, item_id, lock_end FROM outbox"
                     + " WHERE workspace_id = ?::uuid AND kind LIKE 'ITEM_%' ORDER BY outbox_id")) {
            select.setString(1, workspaceId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(rows.getString(1) + " " + rows.getLong(2) + " " + rows.getString(3));
                }
            }
        }
        return events;
    }

    /**
     * Of the commit that took {@code changeSeq} and the latest lock event of the workspace, the one
     * written first.
     */
    private static String firstOf(String workspaceId, long changeSeq) throws Exception {
        try (Connection c = running.service().database().dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT kind FROM outbox WHERE workspace_id = ?::uuid"
                     + " AND ((kind = 'COMMIT' AND change_seq = ?) OR outbox_id = (SELECT max(outbox_id) FROM outbox"
                     + " WHERE workspace_id = ?::uuid AND kind = 'ITEM_LOCKED')) ORDER BY outbox_id LIMIT 1")) {
            select.setString(1, workspaceId);
            select.setLong(2, changeSeq);
            select.setString(3, workspaceId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = running.service().database().dataSource().getConnection();
             PreparedStatement select = c.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
