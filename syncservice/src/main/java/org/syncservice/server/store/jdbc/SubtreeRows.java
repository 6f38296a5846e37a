package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** The SQL that moves a subtree of items between workspaces: listing its chunks, copying it, tombstoning it. */
final class SubtreeRows {
    /** The live descendants of a folder ({@code 0}: of the root), as {@code sub(item_id)}. */
    private static final String LIVE_DESCENDANTS = "sub AS ("
            + " SELECT item_id, chunks FROM items WHERE workspace_id = ? AND COALESCE(parent_id, 0) = ? AND NOT deleted"
            + " UNION ALL SELECT i.item_id, i.chunks FROM items i JOIN sub s ON i.parent_id = s.item_id"
            + " WHERE NOT i.deleted)";
    private static final String CHUNKS = "WITH RECURSIVE " + LIVE_DESCENDANTS
            + " SELECT DISTINCT unnest(chunks) FROM sub";
    /**
     * Copies the live descendants under a new parent in another workspace, with new ids (taken in
     * the order of the recursive listing, parents first), version 1 and one change sequence number.
     */
    private static final String COPY = "WITH RECURSIVE " + LIVE_DESCENDANTS
            + ", mapped AS MATERIALIZED ("
            + " SELECT item_id AS old_id, nextval(pg_get_serial_sequence('items', 'item_id')) AS new_id FROM sub"
            + "), copied AS ("
            + " INSERT INTO items (item_id, workspace_id, parent_id, name, name_key, is_folder, depth, latest_version,"
            + " status, deleted, mime_type, checksum, size_bytes, modified_at, chunks, change_seq, device_id,"
            + " committed_at)"
            + " SELECT m.new_id, ?, COALESCE(p.new_id, ?::bigint), i.name, i.name_key, i.is_folder, i.depth + ?, 1,"
            + " 'NEW', false, i.mime_type, i.checksum, i.size_bytes, i.modified_at, i.chunks, ?, ?, now()"
            + " FROM mapped m JOIN items i ON i.item_id = m.old_id LEFT JOIN mapped p ON p.old_id = i.parent_id"
            + " RETURNING *"
            + ") INSERT INTO item_versions (item_id, workspace_id, parent_id, name, is_folder, version, status,"
            + " mime_type, checksum, size_bytes, modified_at, chunks, change_seq, device_id, committed_at, request_id)"
            + " SELECT item_id, workspace_id, parent_id, name, is_folder, 1, 'NEW', mime_type, checksum, size_bytes,"
            + " modified_at, chunks, change_seq, device_id, committed_at, ? FROM copied";
    /** Tombstones a folder and its live subtree, with their new versions, under one sequence number. */
    private static final String TOMBSTONE = "WITH RECURSIVE sub AS ("
            + " SELECT item_id FROM items WHERE item_id = ? AND workspace_id = ?"
            + " UNION ALL SELECT i.item_id FROM items i JOIN sub s ON i.parent_id = s.item_id"
            + "), gone AS ("
            + " UPDATE items i SET deleted = true, status = 'DELETED', latest_version = i.latest_version + 1,"
            + " checksum = '', size_bytes = 0, chunks = '{}', change_seq = ?, device_id = ?, committed_at = now()"
            + " FROM sub WHERE i.item_id = sub.item_id AND NOT i.deleted RETURNING i.*"
            + ") INSERT INTO item_versions (item_id, workspace_id, parent_id, name, is_folder, version, status,"
            + " mime_type, checksum, size_bytes, modified_at, chunks, change_seq, device_id, committed_at, request_id)"
            + " SELECT item_id, workspace_id, parent_id, name, is_folder, latest_version, status, mime_type,"
            + " checksum, size_bytes, modified_at, chunks, change_seq, device_id, committed_at, ? FROM gone";

    private SubtreeRows() {
    }

    /** The chunks of the live items under {@code folderId} (0: the whole workspace). */
    static Set<String> chunks(Connection c, UUID workspaceId, long folderId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(CHUNKS)) {
            select.setObject(1, workspaceId);
            select.setLong(2, folderId);
            Set<String> chunks = new HashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    chunks.add(rows.getString(1));
                }
            }
            return chunks;
        }
    }

    /**
     * Copies the live items under {@code folderId} of {@code from} into {@code to} under
     * {@code newParentId} (0: the root), shifting depths by {@code depthDelta}.
     *
     * @return how many items were copied
     */
    static int copy(Connection c, UUID from, long folderId, UUID to, long newParentId, int depthDelta,
                    long changeSeq, UUID deviceId, String requestId) throws SQLException {
        try (PreparedStatement copy = c.prepareStatement(COPY)) {
            copy.setObject(1, from);
            copy.setLong(2, folderId);
            copy.setObject(3, to);
            if (newParentId == 0) {
                copy.setNull(4, java.sql.Types.BIGINT);
            } else {
                copy.setLong(4, newParentId);
            }
            copy.setInt(5, depthDelta);
            copy.setLong(6, changeSeq);
            copy.setObject(7, deviceId);
            copy.setString(8, requestId);
            return copy.executeUpdate();
        }
    }

    /** Tombstones the folder and everything live under it; returns how many items. */
    static int tombstone(Connection c, UUID workspaceId, long folderId, long changeSeq, UUID deviceId,
                         String requestId) throws SQLException {
        try (PreparedStatement gone = c.prepareStatement(TOMBSTONE)) {
            gone.setLong(1, folderId);
            gone.setObject(2, workspaceId);
            gone.setLong(3, changeSeq);
            gone.setObject(4, deviceId);
            gone.setString(5, requestId);
            return gone.executeUpdate();
        }
    }
}
