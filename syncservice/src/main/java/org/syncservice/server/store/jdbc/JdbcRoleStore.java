package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.syncservice.server.core.MemberRole;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.sync.EndedLock;
import org.syncservice.server.sync.ItemLock;
import org.syncservice.server.sync.LockEnd;
import org.syncservice.server.workspace.RoleStore;

/**
 * Member roles in PostgreSQL. A change locks the workspace's row ({@code FOR UPDATE}) before it
 * reads or writes anything, as commits, restores and file locks do before they read the role
 * (docs/design.md, "Roles"): one lock, taken first, so no cycle with them. Thread-safe.
 */
public final class JdbcRoleStore implements RoleStore {
    private static final String TARGET = "SELECT m.user_id, m.role FROM workspace_members m"
            + " JOIN users u ON u.user_id = m.user_id WHERE m.workspace_id = ? AND ";

    private final Transactions tx;

    public JdbcRoleStore(DataSource dataSource) {
        this.tx = new Transactions(dataSource);
    }

    private record Target(UUID userId, MemberRole role) {
    }

    @Override
    public RoleChange changeRole(UUID callerId, UUID workspaceId, MemberRef member, MemberRole role, long nowMs) {
        // A retry finds the role set and answers alike.
        return tx.inTransaction(StoredAnswers.naturallyIdempotent(), c -> {
            Membership caller = MembershipRows.membership(c, callerId, workspaceId, true);
            if (caller.role() != MemberRole.OWNER) {
                throw caller.role().refusal("only its owner may change roles");
            }
            Target target = target(c, workspaceId, member);
            if (target.role() == MemberRole.OWNER) {
                throw ServiceException.invalidArgument(member.email() != null ? "change_member_role.email"
                        : "change_member_role.user_id", "the owner's own role cannot be changed");
            }
            boolean changed = target.role() != role;
            if (changed) {
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE workspace_members SET role = ? WHERE workspace_id = ? AND user_id = ?")) {
                    update.setString(1, role.name());
                    update.setObject(2, workspaceId);
                    update.setObject(3, target.userId());
                    update.executeUpdate();
                }
                if (!role.writes()) {
                    breakLocks(c, workspaceId, target.userId(), nowMs);
                }
                OutboxRows.workspaceForEach(c, OutboxKind.PERMISSIONS_CHANGED, "SELECT workspace_id, user_id"
                        + " FROM workspace_members WHERE workspace_id = ? ORDER BY user_id", workspaceId);
            }
            return new RoleChange(target.userId(), changed, caller.latestChangeSeq(),
                    MembershipRows.members(c, workspaceId));
        });
    }

    /** Ends the user's live locks of the workspace as the owner breaking them would. */
    private static void breakLocks(Connection c, UUID workspaceId, UUID userId, long nowMs) throws SQLException {
        List<EndedLock> broken = new ArrayList<>();
        for (ItemLock lock : LockRows.live(c, workspaceId, nowMs).values()) {
            if (lock.holderUserId().equals(userId)) {
                broken.add(new EndedLock(lock, LockEnd.BROKEN));
            }
        }
        LockRows.end(c, broken);
    }

    private static Target target(Connection c, UUID workspaceId, MemberRef member) throws SQLException {
        boolean byEmail = member.email() != null;
        try (PreparedStatement select = c.prepareStatement(TARGET + (byEmail ? "u.email = ?" : "u.user_id = ?"))) {
            select.setObject(1, workspaceId);
            if (byEmail) {
                select.setString(2, member.email());
            } else {
                select.setObject(2, member.userId());
            }
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw ServiceException.notFound(member.named() + " is not a member of the workspace");
                }
                return new Target(row.getObject(1, UUID.class), MemberRole.valueOf(row.getString(2)));
            }
        }
    }
}
