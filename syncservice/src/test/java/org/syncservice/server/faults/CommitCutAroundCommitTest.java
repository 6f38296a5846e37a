package org.syncservice.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.syncservice.server.testing.CommitItems.changed;
import static org.syncservice.server.testing.CommitItems.newFile;
import static org.syncservice.server.testing.CommitItems.newFolder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncServiceException;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.RestoreVersionRequest;
import org.syncservice.protocol.v1.RestoreVersionResponse;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.protocol.v1.ShareFolderResponse;
import org.syncservice.server.testing.CommitCuttingProxy;
import org.syncservice.server.testing.CommitCuttingProxy.Cut;
import org.syncservice.server.testing.RunningService;
import org.syncservice.server.testing.SyncDevice;
import org.syncservice.server.testing.SyncFixture;

/**
 * The service's database connections broken exactly around a COMMIT, by a proxy between its pool
 * and PostgreSQL: a commit whose COMMIT completed but whose reply was lost is answered with its
 * stored answer; one cut before its COMMIT is UNAVAILABLE and stored nothing; one whose outcome
 * cannot be found out in time is UNAVAILABLE saying so, and its retry gets the stored answer.
 */
class CommitCutAroundCommitTest {
    /** Longer than db.connect-timeout: a request that needs a new connection meanwhile fails. */
    private static final Duration DOWN = Duration.ofMillis(1_600);

    private static CommitCuttingProxy proxy;
    private static RunningService service;
    private static SyncFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        proxy = CommitCuttingProxy.toTestPostgres();
        service = RunningService.startWithDatabaseUrl(Map.of("db.connect-timeout", "1s"), proxy::url);
        fixture = new SyncFixture(service);
    }

    /** After an earlier test's cut: the proxy takes connections again, and the pool has made one. */
    @BeforeEach
    void databaseReachable() throws InterruptedException {
        proxy.awaitUp();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                service.service().components().status().schemaVersion();
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
        service.close();
        proxy.close();
    }

    @Test
    void aCommitWhoseReplyIsLostAfterItsCommitIsAnsweredWithItsStoredAnswer() throws Exception {
        SyncDevice ann = fixture.newUser("Ann");
        String requestId = SyncClient.newRequestId();
        int cuts = proxy.cuts();

        CommitItem file = newFile("t", "lost-reply.txt", 10);
        proxy.cutNextCommit(Cut.AFTER_COMMIT, DOWN);
        CommitResponse answer = ann.commitAs(requestId, file);

        assertThat(proxy.cuts()).as("the COMMIT's reply was cut").isEqualTo(cuts + 1);
        assertThat(answer.getResults(0).getOutcome()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
        assertThat(answer.getChangeSeq()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM request_log WHERE request_id = ?", requestId)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM item_versions WHERE request_id = ?", requestId)).isEqualTo(1);
        CommitResponse retried = ann.commitAs(requestId, file);
        assertThat(retried).isEqualTo(answer);
    }

    @Test
    void aCommitCutBeforeItsCommitIsUnavailableAndStoresNothing() throws Exception {
        SyncDevice bob = fixture.newUser("Bob");
        String requestId = SyncClient.newRequestId();
        int cuts = proxy.cuts();

        // The second cut catches the commit served alone after the group's transaction failed.
        proxy.cutNextCommitsOfTheirConnection(Cut.BEFORE_COMMIT, 2);
        SyncServiceException refused = catchThrowableOfType(
                () -> bob.commitAs(requestId, newFile("t", "never.txt", 10)), SyncServiceException.class);

        assertThat(proxy.cuts()).isEqualTo(cuts + 2);
        assertThat(refused.code()).isEqualTo(ErrorCode.ERROR_CODE_UNAVAILABLE);
        assertThat(refused.isLocal()).isFalse();
        assertThat(refused.isOutcomeUnknown()).as("the service found out: nothing stored").isFalse();
        assertThat(count("SELECT count(*) FROM request_log WHERE request_id = ?", requestId)).isZero();
        assertThat(count("SELECT count(*) FROM item_versions WHERE request_id = ?", requestId)).isZero();
        assertThat(bob.changeSeq()).isZero();
    }

    @Test
    void aCommitWhoseOutcomeCannotBeFoundOutInTimeIsUnavailableSayingSoAndItsRetryGetsTheStoredAnswer()
            throws Exception {
        SyncDevice cay = fixture.newUser("Cay");
        String requestId = SyncClient.newRequestId();

        // Down for well longer than the service looks for the outcome: 3 s, plus the connection
        // attempt under way then (db.connect-timeout, 1 s), plus a loaded machine's delays.
        CommitItem file = newFile("t", "unknown.txt", 10);
        proxy.cutNextCommit(Cut.AFTER_COMMIT, Duration.ofSeconds(8));
        SyncServiceException refused = catchThrowableOfType(() -> cay.commitAs(requestId, file),
                SyncServiceException.class);

        assertThat(refused.code()).isEqualTo(ErrorCode.ERROR_CODE_UNAVAILABLE);
        assertThat(refused.isLocal()).isFalse();
        assertThat(refused.isOutcomeUnknown()).as("the answer says the outcome is unknown").isTrue();
        assertThat(count("SELECT count(*) FROM request_log WHERE request_id = ?", requestId))
                .as("it did commit").isEqualTo(1);
        CommitResponse retried = retryUntilAnswered(() -> cay.commitAs(requestId, file));
        assertThat(retried.getResults(0).getOutcome()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
        assertThat(retried.getChangeSeq()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM item_versions WHERE request_id = ?", requestId)).isEqualTo(1);
    }

    @Test
    void aRestoreWhoseReplyIsLostAfterItsCommitIsAnsweredWithItsStoredAnswer() throws Exception {
        SyncDevice dee = fixture.newUser("Dee");
        Item first = dee.create(newFile("t", "history.txt", 10));
        dee.create(changed(first, 20));
        String requestId = SyncClient.newRequestId();
        RestoreVersionRequest restore = RestoreVersionRequest.newBuilder().setWorkspaceId(dee.workspace())
                .setItemId(first.getItemId()).setVersion(1).setLatestVersion(2).build();

        proxy.cutNextCommit(Cut.AFTER_COMMIT, DOWN);
        RestoreVersionResponse answer = dee.client().restoreVersion(restore, requestId);

        assertThat(answer.getResult().getOutcome()).isEqualTo(CommitOutcome.COMMIT_OUTCOME_COMMITTED);
        assertThat(answer.getResult().getCurrent().getVersion()).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM request_log WHERE request_id = ?", requestId)).isEqualTo(1);
        assertThat(dee.client().restoreVersion(restore, requestId)).isEqualTo(answer);
    }

    @Test
    void aShareWhoseReplyIsLostAfterItsCommitIsAnsweredWithItsStoredAnswerAndMakesOneWorkspace() throws Exception {
        SyncDevice eve = fixture.newUser("Eve");
        SyncDevice fay = fixture.newUser("Fay");
        Item folder = eve.create(newFolder("f", "Shared"));
        String requestId = SyncClient.newRequestId();
        ShareFolderRequest share = ShareFolderRequest.newBuilder().setWorkspaceId(eve.workspace())
                .setFolderId(folder.getItemId()).addEmails(fay.credentials().email()).build();
        int cuts = proxy.cuts();

        proxy.cutNextCommit(Cut.AFTER_COMMIT, DOWN);
        ShareFolderResponse answer = eve.client().shareFolder(share, requestId);

        assertThat(proxy.cuts()).as("the COMMIT's reply was cut").isEqualTo(cuts + 1);
        assertThat(answer.getMembersCount()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM request_log WHERE request_id = ?", requestId)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM workspaces w JOIN request_log r ON r.workspace_id = w.workspace_id"
                + " WHERE r.request_id = ?", requestId)).isEqualTo(1);
        assertThat(eve.client().shareFolder(share, requestId).getWorkspace().getWorkspaceId())
                .isEqualTo(answer.getWorkspace().getWorkspaceId());
    }

    private static <T> T retryUntilAnswered(java.util.function.Supplier<T> call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return call.get();
            } catch (SyncServiceException e) {
                if (!e.isRetryable() || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(e.retryAfter().map(Duration::toMillis).orElse(200L));
            }
        }
    }

    private static long count(String sql, String requestId) throws SQLException {
        try (Connection connection = service.database().dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, requestId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
