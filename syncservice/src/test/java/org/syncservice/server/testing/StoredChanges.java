package org.syncservice.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import javax.sql.DataSource;

/**
 * What PostgreSQL holds for one workspace after a fault test, read directly, and the checks that
 * it matches what the clients were answered: every answered commit stored once, nothing stored
 * that was not asked for, consecutive sequence numbers, quota equal to the live files, and every
 * change in the outbox (published, once the service has drained it).
 */
public final class StoredChanges {
    private final DataSource dataSource;
    private final UUID workspaceId;

    public StoredChanges(DataSource dataSource, String workspaceId) {
        this.dataSource = dataSource;
        this.workspaceId = UUID.fromString(workspaceId);
    }

    /** Checks everything against the answers; returns the number of commits stored. */
    public int assertMatches(Collection<CommitLoad.Answer> answers, Set<String> sentRequestIds)
            throws SQLException {
        int n = answers.size();
        List<Long> answeredSeqs = answers.stream().map(CommitLoad.Answer::changeSeq).sorted().toList();
        assertThat(answeredSeqs).as("change_seq answered: one per commit, consecutive")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());

        List<String> names = strings("SELECT name FROM item_versions WHERE workspace_id = ?");
        assertThat(names).as("versions stored: each answered commit exactly once")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(answers.stream().map(CommitLoad.Answer::name).toList());
        assertThat(longs("SELECT change_seq FROM item_versions WHERE workspace_id = ? ORDER BY change_seq"))
                .containsExactlyElementsOf(answeredSeqs);
        assertThat(longs("SELECT latest_change_seq FROM workspaces WHERE workspace_id = ?")).containsExactly((long) n);

        List<String> logged = strings("SELECT request_id FROM request_log WHERE workspace_id = ? AND operation = 'commit'");
        assertThat(logged).as("stored answers: one per answered commit, none for a request never sent")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(answers.stream().map(CommitLoad.Answer::requestId).toList());
        assertThat(sentRequestIds).containsAll(logged);

        long liveBytes = longs("SELECT coalesce(sum(v.size_bytes), 0) FROM items i JOIN item_versions v"
                + " ON v.item_id = i.item_id AND v.version = i.latest_version"
                + " WHERE i.workspace_id = ? AND i.status <> 'DELETED'").get(0);
        assertThat(liveBytes).isEqualTo(answers.stream().mapToLong(CommitLoad.Answer::size).sum());
        assertThat(longs("SELECT u.quota_used_bytes FROM users u JOIN workspaces w ON w.owner_id = u.user_id"
                + " WHERE w.workspace_id = ?")).as("quota charged = live file sizes").containsExactly(liveBytes);

        assertThat(longs("SELECT change_seq FROM outbox WHERE workspace_id = ? AND kind = 'COMMIT' ORDER BY change_seq"))
                .as("one outbox row per stored change").containsExactlyElementsOf(answeredSeqs);
        return n;
    }

    /** The workspace's latest change sequence number. */
    public long latestChangeSeq() throws SQLException {
        return longs("SELECT latest_change_seq FROM workspaces WHERE workspace_id = ?").get(0);
    }

    /** The request ids of the commits whose answers are stored. */
    public Set<String> committedRequestIds() throws SQLException {
        return Set.copyOf(strings("SELECT request_id FROM request_log WHERE workspace_id = ? AND operation = 'commit'"));
    }

    /** Waits until every outbox row of the workspace is published; fails after {@code patience}. */
    public void awaitOutboxPublished(Duration patience) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        long pending;
        do {
            pending = longs("SELECT count(*) FROM outbox WHERE workspace_id = ? AND published_at IS NULL").get(0);
            if (pending > 0) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        } while (pending > 0 && System.nanoTime() < deadline);
        assertThat(pending).as("outbox rows never published").isZero();
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, workspaceId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        }
        return values;
    }

    private List<Long> longs(String sql) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, workspaceId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getLong(1));
                }
            }
        }
        return values;
    }
}
