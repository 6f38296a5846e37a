package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.workspace.NewWorkspace;
import org.syncservice.server.workspace.WorkspaceStore;
import org.syncservice.server.workspace.WorkspaceView;

/** Workspaces as their members see them, in PostgreSQL. Thread-safe. */
public final class JdbcWorkspaceStore implements WorkspaceStore {
    private final Transactions tx;

    public JdbcWorkspaceStore(DataSource dataSource) {
        this.tx = new Transactions(dataSource);
    }

    @Override
    public List<WorkspaceView> listForMember(UUID userId) {
        return tx.inTransaction(c -> {
            try (PreparedStatement select = c.prepareStatement(WorkspaceRows.SELECT_VIEW
                    + " WHERE m.user_id = ? ORDER BY w.is_default DESC, m.joined_at, w.workspace_id")) {
                select.setObject(1, userId);
                List<WorkspaceView> views = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        views.add(WorkspaceRows.view(rows));
                    }
                }
                return views;
            }
        });
    }

    @Override
    public Optional<WorkspaceView> findForMember(UUID userId, UUID workspaceId) {
        return tx.inTransaction(c -> find(c, userId, workspaceId));
    }

    @Override
    public Optional<WorkspaceView> updateMember(UUID userId, UUID workspaceId, Optional<String> name,
                                                Optional<String> mountPoint) {
        return tx.inTransaction(c -> {
            int changed;
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE workspace_members SET name = COALESCE(?, name), mount_point = COALESCE(?, mount_point)"
                            + " WHERE workspace_id = ? AND user_id = ?")) {
                update.setString(1, name.orElse(null));
                update.setString(2, mountPoint.orElse(null));
                update.setObject(3, workspaceId);
                update.setObject(4, userId);
                changed = update.executeUpdate();
            }
            if (changed == 0) {
                return Optional.empty();
            }
            OutboxRows.workspace(c, OutboxKind.WORKSPACE_RENAMED, workspaceId, userId);
            return find(c, userId, workspaceId);
        });
    }

    @Override
    public Optional<WorkspaceView> create(NewWorkspace workspace) {
        return tx.inTransaction(c -> {
            // Locking the owner serialises two creations of one name.
            try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM users WHERE user_id = ? FOR UPDATE")) {
                lock.setObject(1, workspace.ownerId());
                try (ResultSet rows = lock.executeQuery()) {
                    if (!rows.next()) {
                        throw ServiceException.notFound("no such user");
                    }
                }
            }
            try (PreparedStatement taken = c.prepareStatement(
                    "SELECT 1 FROM workspace_members WHERE user_id = ? AND name = ?")) {
                taken.setObject(1, workspace.ownerId());
                taken.setString(2, workspace.ownerMemberName());
                try (ResultSet rows = taken.executeQuery()) {
                    if (rows.next()) {
                        return Optional.empty();
                    }
                }
            }
            WorkspaceRows.insert(c, workspace);
            // The owner's devices are told, and their queues bound to it before anything of it
            // is published (as for a share), so they get its commits without subscribing again.
            OutboxRows.workspace(c, OutboxKind.WORKSPACE_CREATED, workspace.workspaceId(), workspace.ownerId());
            return find(c, workspace.ownerId(), workspace.workspaceId());
        });
    }

    private static Optional<WorkspaceView> find(Connection c, UUID userId, UUID workspaceId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(WorkspaceRows.SELECT_VIEW
                + " WHERE m.user_id = ? AND m.workspace_id = ?")) {
            select.setObject(1, userId);
            select.setObject(2, workspaceId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(WorkspaceRows.view(rows)) : Optional.empty();
            }
        }
    }
}
