package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.sync.ItemNames;

/**
 * What unsharing does when no member but the owner is left: the shared workspace's items go back
 * into the owner's default workspace, and the shared workspace goes. In the caller's transaction,
 * which holds the locks of both workspaces.
 */
final class SharedWorkspaceDissolution {
    private SharedWorkspaceDissolution() {
    }

    /**
     * Moves the shared workspace's live items into the owner's default workspace, under a new folder
     * at the owner's mount point (its parent folders when they still exist, else the root) named as
     * the owner names the workspace (or "name (shared)", "name (shared 2)", ... when taken), then
     * deletes the shared workspace with its items, versions and members.
     */
    static void dissolve(Connection c, Membership shared, UUID deviceId, String requestId)
            throws SQLException {
        Membership home = MembershipRows.defaultWorkspace(c, shared.ownerId(), true);
        String ownerMount = MembershipRows.ownerMountPoint(c, shared.workspaceId(), shared.ownerId());
        long parentId = 0;
        int parentDepth = -1;
        String[] segments = ownerMount.isEmpty() ? new String[0] : ownerMount.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            Optional<long[]> next = liveChild(c, home.workspaceId(), parentId, segments[i], true);
            if (next.isEmpty()) {
                parentId = 0;
                parentDepth = -1;
                break;
            }
            parentId = next.get()[0];
            parentDepth = (int) next.get()[1];
        }
        String base = MembershipRows.ownerName(c, shared.workspaceId(), shared.ownerId());
        String name = base;
        for (int n = 1; liveChild(c, home.workspaceId(), parentId, name, false).isPresent(); n++) {
            name = base + (n == 1 ? " (shared)" : " (shared " + n + ")");
        }
        long seq = home.latestChangeSeq() + 1;
        long folderId;
        try (PreparedStatement next = c.prepareStatement(
                "SELECT nextval(pg_get_serial_sequence('items', 'item_id'))")) {
            try (ResultSet row = next.executeQuery()) {
                row.next();
                folderId = row.getLong(1);
            }
        }
        try (PreparedStatement insert = c.prepareStatement("WITH folder AS ("
                + " INSERT INTO items (item_id, workspace_id, parent_id, name, name_key, is_folder, depth,"
                + " latest_version, status, change_seq, device_id) VALUES (?, ?, ?, ?, ?, true, ?, 1, 'NEW', ?, ?)"
                + " RETURNING *)"
                + " INSERT INTO item_versions (item_id, workspace_id, parent_id, name, is_folder, version, status,"
                + " change_seq, device_id, committed_at, request_id)"
                + " SELECT item_id, workspace_id, parent_id, name, true, 1, 'NEW', change_seq, device_id,"
                + " committed_at, ? FROM folder")) {
            insert.setLong(1, folderId);
            insert.setObject(2, home.workspaceId());
            ItemRows.setParent(insert, 3, parentId);
            insert.setString(4, ItemNames.normalize(name));
            insert.setString(5, ItemNames.key(name));
            insert.setInt(6, parentDepth + 1);
            insert.setLong(7, seq);
            insert.setObject(8, deviceId);
            insert.setString(9, requestId);
            insert.executeUpdate();
        }
        SubtreeRows.copy(c, shared.workspaceId(), 0, home.workspaceId(), folderId, parentDepth + 2, seq, deviceId,
                requestId);
        WorkspaceRows.setLatestChangeSeq(c, home.workspaceId(), seq);
        OutboxRows.commit(c, home.workspaceId(), seq, deviceId, requestId);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM workspaces WHERE workspace_id = ?")) {
            delete.setObject(1, shared.workspaceId());
            delete.executeUpdate();
        }
    }

    /** The live child of a folder (0: the root) with that name: {item id, depth}. */
    static Optional<long[]> liveChild(Connection c, UUID workspaceId, long parentId, String name,
                                              boolean folderOnly) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT item_id, depth, is_folder FROM items"
                + " WHERE workspace_id = ? AND COALESCE(parent_id, 0) = ? AND name_key = ? AND NOT deleted")) {
            select.setObject(1, workspaceId);
            select.setLong(2, parentId);
            select.setString(3, ItemNames.key(name));
            try (ResultSet row = select.executeQuery()) {
                if (!row.next() || (folderOnly && !row.getBoolean(3))) {
                    return Optional.empty();
                }
                return Optional.of(new long[] {row.getLong(1), row.getInt(2)});
            }
        }
    }
}
