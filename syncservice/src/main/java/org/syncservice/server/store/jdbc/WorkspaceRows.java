package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.core.MemberRole;
import org.syncservice.server.workspace.NewWorkspace;
import org.syncservice.server.workspace.WorkspaceView;

/** The SQL of workspace rows shared by the stores that create and read them. */
final class WorkspaceRows {
    /** A member's view of a workspace: {@code m} = the member row, {@code w} = the workspace, {@code o} = its owner. */
    static final String SELECT_VIEW =
            "SELECT w.workspace_id, m.name, m.mount_point, w.owner_id, o.name AS owner_name, m.role, w.is_default,"
                    + " w.is_shared, w.is_encrypted, w.storage_backend, w.storage_container, w.storage_prefix,"
                    + " w.latest_change_seq"
                    + " FROM workspace_members m"
                    + " JOIN workspaces w ON w.workspace_id = m.workspace_id"
                    + " JOIN users o ON o.user_id = w.owner_id";

    private WorkspaceRows() {
    }

    /** Inserts the workspace and its owner's member row. */
    static void insert(Connection c, NewWorkspace workspace) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO workspaces (workspace_id, owner_id, is_default, storage_backend, storage_container,"
                        + " storage_prefix) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, workspace.workspaceId());
            insert.setObject(2, workspace.ownerId());
            insert.setBoolean(3, workspace.isDefault());
            insert.setString(4, workspace.storage().backend().name());
            insert.setString(5, workspace.storage().container());
            insert.setString(6, workspace.storage().prefix());
            insert.executeUpdate();
        }
        try (PreparedStatement member = c.prepareStatement(
                "INSERT INTO workspace_members (workspace_id, user_id, role, name, mount_point) VALUES (?, ?, ?, ?, ?)")) {
            member.setObject(1, workspace.workspaceId());
            member.setObject(2, workspace.ownerId());
            member.setString(3, MemberRole.OWNER.name());
            member.setString(4, workspace.ownerMemberName());
            member.setString(5, workspace.ownerMountPoint());
            member.executeUpdate();
        }
    }

    static WorkspaceView view(ResultSet rows) throws SQLException {
        return new WorkspaceView(
                rows.getObject("workspace_id", UUID.class),
                rows.getString("name"),
                rows.getString("mount_point"),
                rows.getObject("owner_id", UUID.class),
                rows.getString("owner_name"),
                MemberRole.valueOf(rows.getString("role")),
                rows.getBoolean("is_default"),
                rows.getBoolean("is_shared"),
                rows.getBoolean("is_encrypted"),
                new StorageLocation(StorageConfig.Backend.valueOf(rows.getString("storage_backend")),
                        rows.getString("storage_container"), rows.getString("storage_prefix")),
                rows.getLong("latest_change_seq"));
    }

    /** Sets the workspace's sequence number, the number of its latest change. */
    static void setLatestChangeSeq(Connection c, UUID workspaceId, long seq) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE workspaces SET latest_change_seq = ? WHERE workspace_id = ?")) {
            update.setLong(1, seq);
            update.setObject(2, workspaceId);
            update.executeUpdate();
        }
    }
}
