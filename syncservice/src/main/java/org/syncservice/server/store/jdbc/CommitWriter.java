package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import org.syncservice.server.sync.CommitPlan;
import org.syncservice.server.sync.CommitPlan.PlannedWrite;
import org.syncservice.server.sync.ItemNames;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.sync.WorkspaceTransaction.LockedWorkspace;

/**
 * Writes one commit's plan: new item states, their versions, the tombstones of deleted folders'
 * subtrees, the depths under moved folders, the workspace's sequence number, the owner's quota and
 * the outbox row that announces the commit, all in the caller's transaction and in few round
 * trips (batched statements, rewritten into multi-row inserts by the driver).
 *
 * <p>Updates go before inserts, so that a new item can take a name an existing item gave up in
 * the same commit; the parent reference is checked at commit time, so an existing item can move
 * into a folder created by the same commit.
 */
final class CommitWriter {
    private static final String UPDATE_ITEM = "UPDATE items SET parent_id = ?, name = ?, name_key = ?, depth = ?,"
            + " latest_version = ?, status = ?, deleted = ?, mime_type = ?, checksum = ?, size_bytes = ?,"
            + " modified_at = ?, chunks = ?, change_seq = ?, device_id = ?, committed_at = ?"
            + " WHERE item_id = ? AND workspace_id = ?";
    private static final String INSERT_ITEM = "INSERT INTO items (parent_id, name, name_key, depth, latest_version,"
            + " status, deleted, mime_type, checksum, size_bytes, modified_at, chunks, change_seq, device_id,"
            + " committed_at, item_id, workspace_id, is_folder)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_VERSION = "INSERT INTO item_versions (item_id, workspace_id, parent_id, name,"
            + " is_folder, version, status, mime_type, checksum, size_bytes, modified_at, chunks, change_seq,"
            + " device_id, committed_at, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String DELETE_SUBTREE = "WITH RECURSIVE sub AS ("
            + " SELECT item_id, is_folder, size_bytes, deleted FROM items WHERE parent_id = ? AND workspace_id = ?"
            + " UNION ALL SELECT i.item_id, i.is_folder, i.size_bytes, i.deleted FROM items i"
            + " JOIN sub s ON i.parent_id = s.item_id"
            + "), gone AS ("
            + " UPDATE items i SET deleted = true, status = 'DELETED', latest_version = i.latest_version + 1,"
            + " checksum = '', size_bytes = 0, chunks = '{}', change_seq = ?, device_id = ?, committed_at = ?"
            + " FROM sub WHERE i.item_id = sub.item_id AND NOT sub.deleted RETURNING i.*"
            + "), versions AS ("
            + " INSERT INTO item_versions (item_id, workspace_id, parent_id, name, is_folder, version, status,"
            + " mime_type, checksum, size_bytes, modified_at, chunks, change_seq, device_id, committed_at, request_id)"
            + " SELECT item_id, workspace_id, parent_id, name, is_folder, latest_version, status, mime_type,"
            + " checksum, size_bytes, modified_at, chunks, change_seq, device_id, committed_at, ? FROM gone"
            + " RETURNING 1"
            + ") SELECT COALESCE(SUM(size_bytes) FILTER (WHERE NOT is_folder AND NOT deleted), 0),"
            + " (SELECT count(*) FROM versions) FROM sub";
    private static final String FIX_DEPTHS = "WITH RECURSIVE sub AS ("
            + " SELECT item_id, depth FROM items WHERE item_id = ? AND workspace_id = ?"
            + " UNION ALL SELECT c.item_id, s.depth + 1 FROM items c JOIN sub s ON c.parent_id = s.item_id"
            + ") UPDATE items i SET depth = sub.depth FROM sub WHERE i.item_id = sub.item_id AND i.depth <> sub.depth";

    private final Connection connection;
    private final LockedWorkspace workspace;
    private final CommitPlan plan;
    private final Timestamp committedAt;

    CommitWriter(Connection connection, LockedWorkspace workspace, CommitPlan plan) {
        this.connection = connection;
        this.workspace = workspace;
        this.plan = plan;
        this.committedAt = JdbcWorkspaceTransaction.timestamp(plan.writes().get(0).state().committedAtMs());
    }

    void write() throws SQLException {
        writeItems(false, UPDATE_ITEM);
        writeItems(true, INSERT_ITEM);
        writeVersions();
        long freed = 0;
        for (long folderId : plan.deletedFolders()) {
            freed += deleteSubtree(folderId);
        }
        for (long folderId : plan.movedFolders()) {
            fixDepths(folderId);
        }
        finish(plan.quotaDeltaBytes() - freed);
    }

    private void writeItems(boolean inserts, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            boolean any = false;
            for (PlannedWrite write : plan.writes()) {
                if (write.insert() != inserts) {
                    continue;
                }
                ItemVersion item = write.state();
                ItemRows.setParent(statement, 1, item.parentId());
                statement.setString(2, item.name());
                statement.setString(3, ItemNames.key(item.name()));
                statement.setInt(4, write.depth());
                statement.setLong(5, item.version());
                statement.setString(6, item.status().name());
                statement.setBoolean(7, item.deleted());
                statement.setString(8, item.mimeType());
                statement.setString(9, item.checksum());
                statement.setLong(10, item.size());
                ItemRows.setTime(statement, 11, item.modifiedAtMs());
                statement.setArray(12, ItemRows.chunks(connection, item.chunks()));
                statement.setLong(13, item.changeSeq());
                statement.setObject(14, item.deviceId());
                statement.setTimestamp(15, committedAt);
                statement.setLong(16, item.itemId());
                statement.setObject(17, workspace.workspaceId());
                if (inserts) {
                    statement.setBoolean(18, item.folder()); // fixed for an item's life: never updated
                }
                statement.addBatch();
                any = true;
            }
            if (any) {
                statement.executeBatch();
            }
        }
    }

    private void writeVersions() throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_VERSION)) {
            for (PlannedWrite write : plan.writes()) {
                ItemVersion item = write.state();
                insert.setLong(1, item.itemId());
                insert.setObject(2, workspace.workspaceId());
                ItemRows.setParent(insert, 3, item.parentId());
                insert.setString(4, item.name());
                insert.setBoolean(5, item.folder());
                insert.setLong(6, item.version());
                insert.setString(7, item.status().name());
                insert.setString(8, item.mimeType());
                insert.setString(9, item.checksum());
                insert.setLong(10, item.size());
                ItemRows.setTime(insert, 11, item.modifiedAtMs());
                insert.setArray(12, ItemRows.chunks(connection, item.chunks()));
                insert.setLong(13, item.changeSeq());
                insert.setObject(14, item.deviceId());
                insert.setTimestamp(15, committedAt);
                insert.setString(16, plan.requestId());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Tombstones every live descendant of a deleted folder; returns the bytes their files held. */
    private long deleteSubtree(long folderId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(DELETE_SUBTREE)) {
            statement.setLong(1, folderId);
            statement.setObject(2, workspace.workspaceId());
            statement.setLong(3, plan.changeSeq());
            statement.setObject(4, plan.deviceId());
            statement.setTimestamp(5, committedAt);
            statement.setString(6, plan.requestId());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private void fixDepths(long folderId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FIX_DEPTHS)) {
            statement.setLong(1, folderId);
            statement.setObject(2, workspace.workspaceId());
            statement.executeUpdate();
        }
    }

    /** Takes the sequence number, charges the owner, and queues the notification. */
    private void finish(long quotaDelta) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE workspaces SET latest_change_seq = ? WHERE workspace_id = ?")) {
            update.setLong(1, plan.changeSeq());
            update.setObject(2, workspace.workspaceId());
            update.executeUpdate();
        }
        if (quotaDelta != 0) {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE users SET quota_used_bytes = GREATEST(0, quota_used_bytes + ?) WHERE user_id = ?")) {
                update.setLong(1, quotaDelta);
                update.setObject(2, workspace.ownerId());
                update.executeUpdate();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO outbox (kind, workspace_id, change_seq, device_id, request_id)"
                        + " VALUES ('COMMIT', ?, ?, ?, ?)")) {
            insert.setObject(1, workspace.workspaceId());
            insert.setLong(2, plan.changeSeq());
            insert.setObject(3, plan.deviceId());
            insert.setString(4, plan.requestId());
            insert.executeUpdate();
        }
    }
}
