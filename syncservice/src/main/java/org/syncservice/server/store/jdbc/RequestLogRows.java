package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.sync.CommitOutcome;
import org.syncservice.server.sync.ItemResult;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.sync.RejectReason;
import org.syncservice.server.sync.WorkspaceTransaction.RecordedRequest;
import org.syncservice.server.workspace.SharingStore.Recorded;

/**
 * The one writer of stored answers (request_log, and request_log_items for a commit's items), and
 * the reader of the answers a retry is given: an answer is written in the transaction that made
 * the change it describes, and each write tells the transaction's {@link StoredAnswers}, so that a
 * commit in doubt can be looked for by its key.
 */
final class RequestLogRows {
    /** One item's result in a commit's stored answer, at its position in the request. */
    record ItemAnswer(UUID deviceId, String requestId, int position, ItemResult result) {
    }

    /** The columns of request_log_items, as a commit writes them from arrays. */
    static final ArrayColumns<ItemAnswer> ITEM_COLUMNS = ArrayColumns.<ItemAnswer>builder()
            .column("device_id", "uuid", ItemAnswer::deviceId)
            .column("request_id", "text", ItemAnswer::requestId)
            .column("position", "int4", ItemAnswer::position)
            .column("item_id", "int8", answer -> answer.result().itemId())
            .column("temp_id", "text", answer -> answer.result().tempId())
            .column("outcome", "text", answer -> answer.result().outcome().name())
            .column("shown_item_id", "int8", answer -> answer.result().current() == null ? null
                    : answer.result().current().itemId())
            .column("shown_version", "int8", answer -> answer.result().current() == null ? null
                    : answer.result().current().version())
            .column("reject_reason", "text", answer -> answer.result().reason() == null ? null
                    : answer.result().reason().name())
            .column("message", "text", answer -> answer.result().message())
            .build();

    private static final String INSERT = "INSERT INTO request_log (device_id, request_id, operation, workspace_id,"
            + " request_hash) VALUES (?, ?, ?, ?, ?)";
    private static final String SELECT_COMMIT = "SELECT operation, request_hash, change_seq FROM request_log"
            + " WHERE device_id = ? AND request_id = ?";
    private static final String SELECT_COMMIT_ITEMS = "SELECT li.item_id, li.temp_id, li.outcome,"
            + " li.reject_reason, li.message, " + JdbcWorkspaceTransaction.prefixed("v.", ItemRows.VERSION_COLUMNS)
            + " FROM request_log_items li LEFT JOIN item_versions v"
            + " ON v.item_id = li.shown_item_id AND v.version = li.shown_version"
            + " WHERE li.device_id = ? AND li.request_id = ? ORDER BY li.position";
    private static final String SELECT_RECORDED = "SELECT operation, request_hash, workspace_id FROM request_log"
            + " WHERE device_id = ? AND request_id = ?";

    private RequestLogRows() {
    }

    /** The answer of a request that changed one workspace and has no item results (a share, an unshare). */
    static void insert(Connection c, StoredAnswers answers, UUID deviceId, String requestId, String operation,
                       UUID workspaceId, byte[] requestHash) throws SQLException {
        answers.add(deviceId, requestId);
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            insert.setObject(1, deviceId);
            insert.setString(2, requestId);
            insert.setString(3, operation);
            insert.setObject(4, workspaceId);
            insert.setBytes(5, requestHash);
            insert.executeUpdate();
        }
    }

    /**
     * The answer rows of each row of a common table expression {@code source} with the columns
     * device_id, request_id, operation, workspace_id, request_hash and change_seq: a part of a
     * larger statement, {@code name AS (...)}. The caller tells its {@link StoredAnswers} the keys.
     */
    static String answersFrom(String name, String source) {
        return name + " AS (INSERT INTO request_log (device_id, request_id, operation, workspace_id, request_hash,"
                + " change_seq) SELECT device_id, request_id, operation, workspace_id, request_hash, change_seq"
                + " FROM " + source + " RETURNING 1)";
    }

    /** The item rows of commits' answers, from {@link #ITEM_COLUMNS}' arrays: a statement's last part. */
    static String insertItems() {
        return "INSERT INTO request_log_items (" + ITEM_COLUMNS.names() + ") SELECT * FROM "
                + ITEM_COLUMNS.unnest("r");
    }

    /** A commit's stored answer, its items in request order, each with the version it showed. */
    static Optional<RecordedRequest> commit(Connection c, UUID deviceId, String requestId) throws SQLException {
        String operation;
        byte[] hash;
        long changeSeq;
        try (PreparedStatement select = c.prepareStatement(SELECT_COMMIT)) {
            select.setObject(1, deviceId);
            select.setString(2, requestId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                operation = row.getString(1);
                hash = row.getBytes(2);
                changeSeq = row.getLong(3);
            }
        }
        List<ItemResult> results = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(SELECT_COMMIT_ITEMS)) {
            select.setObject(1, deviceId);
            select.setString(2, requestId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    row.getLong(6);
                    ItemVersion shown = row.wasNull() ? null : ItemRows.version(row, 5);
                    String reason = row.getString(4);
                    results.add(new ItemResult(row.getLong(1), row.getString(2),
                            CommitOutcome.valueOf(row.getString(3)), shown,
                            reason == null ? null : RejectReason.valueOf(reason), row.getString(5)));
                }
            }
        }
        return Optional.of(new RecordedRequest(operation, hash, changeSeq, results));
    }

    /** What a request without item results stored: its operation, its hash and its workspace. */
    static Optional<Recorded> recorded(Connection c, UUID deviceId, String requestId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(SELECT_RECORDED)) {
            select.setObject(1, deviceId);
            select.setString(2, requestId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Recorded(row.getString(1), row.getBytes(2),
                        row.getObject(3, UUID.class))) : Optional.empty();
            }
        }
    }
}
