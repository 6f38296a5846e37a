package org.syncservice.server.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.syncservice.protocol.v1.CommitOutcome.COMMIT_OUTCOME_COMMITTED;
import static org.syncservice.server.testing.CommitItems.changed;
import static org.syncservice.server.testing.CommitItems.moved;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;
import static org.syncservice.server.testing.CommitItems.next;
import static org.syncservice.server.testing.CommitItems.renamed;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;
import org.syncservice.server.testing.SyncDevice;

/**
 * Two devices of one user commit, at the same moment, the same next version of one file: each
 * picks, from a seeded random source, a rename or a move that gives only what it changes, one with
 * the complete metadata, a content change, or a version that changes nothing. Each round's answers
 * are checked as they come; at the end PostgreSQL is read directly: no version of the file ever
 * lost its content, every rename and move kept its predecessor's bytes, and the versions stored are
 * exactly the rounds' winners, under consecutive sequence numbers with one outbox row each.
 * Not thread-safe: one race at a time.
 */
final class RacingEdits {
    private enum Edit {
        BARE_RENAME, BARE_MOVE, FULL_RENAME, FULL_MOVE, CHANGE, SAME_NAME, BARE_SAME_NAME, SAME_CONTENT;

        boolean changesNothing() {
            return this == SAME_NAME || this == BARE_SAME_NAME || this == SAME_CONTENT;
        }
    }

    private final Random random;
    private final SyncDevice laptop;
    private final SyncDevice phone;
    private final DataSource database;
    private final long[] folders = new long[3];

    RacingEdits(long seed, SyncDevice laptop, SyncDevice phone, DataSource database) {
        this.random = new Random(seed);
        this.laptop = laptop;
        this.phone = phone;
        this.database = database;
    }

    /** Runs {@code rounds} rounds and checks the database; throws AssertionError on the first broken rule. */
    void run(int rounds) throws Exception {
        folders[1] = laptop.create(newFolder("a", "A")).getItemId();
        folders[2] = laptop.create(newFolder("b", "B")).getItemId();
        Item current = laptop.create(newFile("f", "raced.txt", 4096));
        int stored = 0;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                Item base = current;
                Edit[] edits = {pick(), pick()};
                CommitItem[] items = {item(edits[0], base, "laptop-" + round), item(edits[1], base, "phone-" + round)};
                List<CommitItemResult> results = race(pool, items);
                String what = "round " + round + ": " + Arrays.toString(edits);
                Item winner = checkRound(what, base, edits, results);
                if (winner != null) {
                    current = winner;
                    stored++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        checkDatabase(current, stored);
    }

    private Edit pick() {
        Edit[] all = Edit.values();
        return all[random.nextInt(all.length)];
    }

    private CommitItem item(Edit edit, Item base, String newName) {
        long otherFolder = folders[(indexOf(base.getParentId()) + 1 + random.nextInt(2)) % 3];
        CommitItem.Builder bare = CommitItem.newBuilder().setItemId(base.getItemId())
                .setVersion(base.getVersion() + 1);
        return switch (edit) {
            case BARE_RENAME -> bare.setStatus(ItemStatus.ITEM_STATUS_RENAMED).setName(newName).build();
            case BARE_MOVE -> bare.setStatus(ItemStatus.ITEM_STATUS_MOVED).setParentId(otherFolder).build();
            case FULL_RENAME -> renamed(base, newName);
            case FULL_MOVE -> moved(base, otherFolder);
            case CHANGE -> changed(base, 1 + random.nextInt(10_000));
            case SAME_NAME -> renamed(base, base.getName());
            case BARE_SAME_NAME -> bare.setStatus(ItemStatus.ITEM_STATUS_RENAMED).setName(base.getName()).build();
            case SAME_CONTENT -> next(base, ItemStatus.ITEM_STATUS_CHANGED).build();
        };
    }

    private int indexOf(long folderId) {
        for (int i = 0; i < folders.length; i++) {
            if (folders[i] == folderId) {
                return i;
            }
        }
        throw new AssertionError("the file is in folder " + folderId + ", which the race did not make");
    }

    private List<CommitItemResult> race(ExecutorService pool, CommitItem[] items) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Future<CommitItemResult>> calls = new ArrayList<>();
        SyncDevice[] devices = {laptop, phone};
        for (int i = 0; i < 2; i++) {
            SyncDevice device = devices[i];
            CommitItem item = items[i];
            calls.add(pool.submit(() -> {
                barrier.await(10, TimeUnit.SECONDS);
                return device.commit(item).getResults(0);
            }));
        }
        List<CommitItemResult> results = new ArrayList<>();
        for (Future<CommitItemResult> call : calls) {
            results.add(call.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    /** @return the version the round stored, or null when it stored none */
    private static Item checkRound(String what, Item base, Edit[] edits, List<CommitItemResult> results) {
        List<CommitOutcome> outcomes = results.stream().map(CommitItemResult::getOutcome).toList();
        boolean anyChange = !edits[0].changesNothing() || !edits[1].changesNothing();
        List<CommitItemResult> committed = results.stream()
                .filter(r -> r.getOutcome() == COMMIT_OUTCOME_COMMITTED).toList();
        assertThat(committed).as("%s %s: exactly one version stored when anything changes", what, outcomes)
                .hasSize(anyChange ? 1 : 0);
        Item winner = committed.isEmpty() ? null : committed.get(0).getCurrent();
        for (int i = 0; i < 2; i++) {
            CommitItemResult result = results.get(i);
            switch (result.getOutcome()) {
                case COMMIT_OUTCOME_COMMITTED -> {
                    assertThat(edits[i].changesNothing()).as("%s: a version changing nothing was stored", what)
                            .isFalse();
                    assertThat(result.getCurrent().getVersion()).as(what).isEqualTo(base.getVersion() + 1);
                }
                // A version changing nothing that came first finds the base latest; a change the other
                // device had just made (both moved the file into one folder) finds the winner.
                case COMMIT_OUTCOME_ALREADY_COMMITTED -> assertThat(result.getCurrent())
                        .as("%s: ALREADY_COMMITTED shows the latest version", what)
                        .isEqualTo(edits[i].changesNothing() ? base : winner);
                case COMMIT_OUTCOME_CONFLICT -> assertThat(result.getCurrent())
                        .as("%s: the loser sees the winner's version", what).isEqualTo(winner);
                default -> throw new AssertionError(what + ": unexpected " + result);
            }
        }
        return winner;
    }

    /** Reads the file's versions, the workspace's sequence number and its outbox from PostgreSQL. */
    private void checkDatabase(Item latest, int stored) throws SQLException {
        UUID workspace = UUID.fromString(laptop.workspace());
        List<Long> versions = new ArrayList<>();
        String previousChecksum = null;
        long previousSize = 0;
        List<String> previousChunks = null;
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT version, status, checksum, size_bytes,"
                     + " chunks FROM item_versions WHERE item_id = ? AND workspace_id = ? ORDER BY version")) {
            select.setLong(1, latest.getItemId());
            select.setObject(2, workspace);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    long version = row.getLong(1);
                    String status = row.getString(2);
                    String checksum = row.getString(3);
                    long size = row.getLong(4);
                    List<String> chunks = strings(row.getArray(5));
                    assertThat(checksum).as("version %d's checksum", version).isNotEmpty();
                    assertThat(size).as("version %d's size", version).isPositive();
                    assertThat(chunks).as("version %d's chunks", version).isNotEmpty();
                    if (status.equals("RENAMED") || status.equals("MOVED")) {
                        assertThat(checksum).as("%s version %d keeps the checksum", status, version)
                                .isEqualTo(previousChecksum);
                        assertThat(size).as("%s version %d keeps the size", status, version).isEqualTo(previousSize);
                        assertThat(chunks).as("%s version %d keeps the chunks", status, version)
                                .isEqualTo(previousChunks);
                    }
                    versions.add(version);
                    previousChecksum = checksum;
                    previousSize = size;
                    previousChunks = chunks;
                }
            }
        }
        assertThat(versions).as("the file's versions: one per round's winner, consecutive")
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, stored + 1).boxed().toList());
        assertThat(previousChecksum).isEqualTo(latest.getChecksum());
        long seq = 3 + stored; // two folders, the file, then one per stored version
        assertThat(single(workspace, "SELECT latest_change_seq FROM workspaces WHERE workspace_id = ?"))
                .as("latest_change_seq").isEqualTo(seq);
        assertThat(single(workspace, "SELECT count(DISTINCT change_seq) FROM outbox WHERE workspace_id = ?"
                + " AND kind = 'COMMIT'")).as("one outbox row per stored commit").isEqualTo(seq);
        assertThat(single(workspace, "SELECT count(*) FROM outbox WHERE workspace_id = ? AND kind = 'COMMIT'"))
                .isEqualTo(seq);
    }

    private long single(UUID workspace, String sql) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setObject(1, workspace);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
