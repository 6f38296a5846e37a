package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.workspace.Member;
import org.syncservice.server.core.MemberRole;
import org.syncservice.server.workspace.SharedWorkspace;
import org.syncservice.server.workspace.SharingStore;
import org.syncservice.server.workspace.UserRef;

/**
 * Sharing in PostgreSQL. Each change locks the workspace rows it changes ({@code FOR UPDATE}, as a
 * commit does) and never the owner's user row (sharing moves bytes between workspaces of one owner,
 * so quota does not change). An unshare that dissolves locks the shared workspace, then the owner's
 * default workspace: commits take one workspace lock, so no two transactions wait in a cycle.
 * Thread-safe.
 */
public final class JdbcSharingStore implements SharingStore {
    private static final String NO_FOLDER = "no such folder";

    private final Transactions tx;

    public JdbcSharingStore(DataSource dataSource) {
        this.tx = new Transactions(dataSource);
    }

    private record Folder(String name, int depth, String path) {
    }

    @Override
    public Optional<Recorded> recorded(UUID deviceId, String requestId) {
        return tx.inTransaction(c -> RequestLogRows.recorded(c, deviceId, requestId));
    }

    @Override
    public FolderToShare folderToShare(UUID callerId, UUID workspaceId, long folderId) {
        return tx.inTransaction(c -> {
            Membership source = ownedSource(c, callerId, workspaceId, false);
            folder(c, workspaceId, folderId);
            return new FolderToShare(source.location(), SubtreeRows.chunks(c, workspaceId, folderId));
        });
    }

    @Override
    public List<UserRef> usersByEmail(List<String> emails) {
        return tx.inTransaction(c -> {
            Map<String, UUID> found = new HashMap<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT email, user_id FROM users WHERE email = ANY (?)")) {
                select.setArray(1, c.createArrayOf("text", emails.toArray()));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.put(rows.getString(1), rows.getObject(2, UUID.class));
                    }
                }
            }
            List<UserRef> users = new ArrayList<>();
            for (String email : emails) {
                UUID id = found.get(email);
                if (id == null) {
                    throw ServiceException.notFound("no user with the email " + email);
                }
                users.add(new UserRef(id, email));
            }
            return users;
        });
    }

    @Override
    public Outcome<SharedWorkspace> share(NewShare share) {
        UUID ownerId = share.caller().userId();
        UUID deviceId = share.caller().deviceId();
        try {
            StoredAnswers answers = new StoredAnswers();
            return tx.inTransaction(answers, c -> {
                Map<UUID, List<UUID>> groups = GroupGrants.lockOwned(c, ownerId, share.groups());
                Membership source = ownedSource(c, ownerId, share.sourceWorkspaceId(), true);
                Folder folder = folder(c, share.sourceWorkspaceId(), share.folderId());
                Set<String> missing = SubtreeRows.chunks(c, share.sourceWorkspaceId(), share.folderId());
                missing.removeAll(share.copiedChunks());
                if (!missing.isEmpty()) {
                    return Outcome.<SharedWorkspace>missing(missing);
                }
                UUID newId = share.workspaceId();
                MembershipRows.insertWorkspace(c, newId, ownerId, share.location());
                String ownerMount = source.mountPoint().isEmpty() ? folder.path()
                        : source.mountPoint() + "/" + folder.path();
                MembershipRows.insertMember(c, newId, ownerId, MemberRole.OWNER, folder.name(), ownerMount);
                for (UUID member : share.members()) {
                    MembershipRows.insertMember(c, newId, member, share.role(), folder.name(), "");
                }
                List<UUID> throughGroups = GroupGrants.grant(c, newId, groups, share.role(), folder.name());
                for (UUID user : everyone(ownerId, share.members(), throughGroups)) {
                    OutboxRows.workspace(c, OutboxKind.WORKSPACE_SHARED, newId, user);
                }
                int copied = SubtreeRows.copy(c, share.sourceWorkspaceId(), share.folderId(), newId, 0,
                        -(folder.depth() + 1), 1, deviceId, share.requestId());
                if (copied > 0) {
                    WorkspaceRows.setLatestChangeSeq(c, newId, 1);
                    OutboxRows.commit(c, newId, 1, deviceId, share.requestId());
                }
                long sourceSeq = source.latestChangeSeq() + 1;
                SubtreeRows.tombstone(c, share.sourceWorkspaceId(), share.folderId(), sourceSeq, deviceId,
                        share.requestId());
                WorkspaceRows.setLatestChangeSeq(c, share.sourceWorkspaceId(), sourceSeq);
                OutboxRows.commit(c, share.sourceWorkspaceId(), sourceSeq, deviceId, share.requestId());
                RequestLogRows.insert(c, answers, deviceId, share.requestId(), "share_folder", newId, share.requestHash());
                return Outcome.of(MembershipRows.shared(c, ownerId, newId).orElseThrow());
            });
        } catch (IllegalStateException e) {
            throw retryIfDuplicate(e);
        }
    }

    @Override
    public SharedWorkspace addMembers(Principal caller, String requestId, byte[] requestHash, UUID workspaceId,
                                      List<UUID> users, List<UUID> groupIds, MemberRole role) {
        try {
            StoredAnswers answers = new StoredAnswers();
            return tx.inTransaction(answers, c -> {
                Map<UUID, List<UUID>> groups = GroupGrants.lockOwned(c, caller.userId(), groupIds);
                Membership shared = MembershipRows.membership(c, caller.userId(), workspaceId, true);
                if (shared.role() != MemberRole.OWNER) {
                    throw shared.role().refusal("only its owner may share");
                }
                if (!shared.shared()) {
                    throw ServiceException.invalidArgument("share_folder.folder_id",
                            "folder_id 0 adds members to a shared workspace; this one is not shared");
                }
                List<UUID> before = MembershipRows.memberIds(c, workspaceId);
                List<UUID> added = new ArrayList<>();
                for (UUID user : users) {
                    if (!before.contains(user)) {
                        MembershipRows.insertMember(c, workspaceId, user, role, shared.name(), "");
                        OutboxRows.workspace(c, OutboxKind.WORKSPACE_SHARED, workspaceId, user);
                        added.add(user);
                    }
                }
                MembershipRows.markGrantedDirectly(c, workspaceId, users);
                for (UUID user : GroupGrants.grant(c, workspaceId, groups, role, shared.name())) {
                    OutboxRows.workspace(c, OutboxKind.WORKSPACE_SHARED, workspaceId, user);
                    added.add(user);
                }
                if (!added.isEmpty()) {
                    for (UUID member : before) {
                        OutboxRows.workspace(c, OutboxKind.MEMBERS_CHANGED, workspaceId, member);
                    }
                }
                RequestLogRows.insert(c, answers, caller.deviceId(), requestId, "share_folder", workspaceId, requestHash);
                return MembershipRows.shared(c, caller.userId(), workspaceId).orElseThrow();
            });
        } catch (IllegalStateException e) {
            throw retryIfDuplicate(e);
        }
    }

    @Override
    public Optional<SharedWorkspace> sharedWorkspace(UUID userId, UUID workspaceId) {
        return tx.inTransaction(c -> MembershipRows.shared(c, userId, workspaceId));
    }

    @Override
    public Removal planRemoval(UUID callerId, UUID workspaceId, List<UserRef> users) {
        return tx.inTransaction(c -> {
            Membership shared = MembershipRows.membership(c, callerId, workspaceId, false);
            List<UUID> removed = removedUsers(c, shared, callerId, users);
            boolean dissolves = dissolves(c, workspaceId, shared.ownerId(), removed);
            if (!dissolves) {
                return new Removal(shared.location(), removed, false, null, Set.of());
            }
            StorageLocation ownerDefault = MembershipRows.defaultWorkspace(c, shared.ownerId(), false).location();
            return new Removal(shared.location(), removed, true, ownerDefault,
                    SubtreeRows.chunks(c, workspaceId, 0));
        });
    }

    @Override
    public Outcome<Removed> remove(Principal caller, String requestId, byte[] requestHash, UUID workspaceId,
                                   List<UserRef> users, Set<String> copiedChunks) {
        try {
            StoredAnswers answers = new StoredAnswers();
            return tx.inTransaction(answers, c -> {
                Membership shared = MembershipRows.membership(c, caller.userId(), workspaceId, true);
                List<UUID> removed = removedUsers(c, shared, caller.userId(), users);
                if (!dissolves(c, workspaceId, shared.ownerId(), removed)) {
                    try (PreparedStatement delete = c.prepareStatement(
                            "DELETE FROM workspace_members WHERE workspace_id = ? AND user_id = ANY (?)")) {
                        delete.setObject(1, workspaceId);
                        delete.setArray(2, c.createArrayOf("uuid", removed.toArray()));
                        delete.executeUpdate();
                    }
                    MembershipRows.forgetCursors(c, workspaceId, removed);
                    for (UUID user : removed) {
                        OutboxRows.workspace(c, OutboxKind.WORKSPACE_UNSHARED, workspaceId, user);
                    }
                    for (UUID user : MembershipRows.memberIds(c, workspaceId)) {
                        OutboxRows.workspace(c, OutboxKind.MEMBERS_CHANGED, workspaceId, user);
                    }
                    RequestLogRows.insert(c, answers, caller.deviceId(), requestId, "unshare_folder", workspaceId, requestHash);
                    List<Member> remaining = MembershipRows.members(c, workspaceId);
                    return Outcome.of(new Removed(shared.location(), removed, remaining, false));
                }
                Set<String> missing = SubtreeRows.chunks(c, workspaceId, 0);
                missing.removeAll(copiedChunks);
                if (!missing.isEmpty()) {
                    return Outcome.<Removed>missing(missing);
                }
                List<UUID> everyone = MembershipRows.memberIds(c, workspaceId);
                SharedWorkspaceDissolution.dissolve(c, shared, caller.deviceId(), requestId);
                for (UUID user : everyone) {
                    OutboxRows.workspace(c, OutboxKind.WORKSPACE_UNSHARED, workspaceId, user);
                }
                RequestLogRows.insert(c, answers, caller.deviceId(), requestId, "unshare_folder", workspaceId, requestHash);
                return Outcome.of(new Removed(shared.location(), removed, List.of(), true));
            });
        } catch (IllegalStateException e) {
            throw retryIfDuplicate(e);
        }
    }

    /** Whoever the request removes; checks who may remove whom. */
    private static List<UUID> removedUsers(Connection c, Membership shared, UUID callerId, List<UserRef> users)
            throws SQLException {
        if (!shared.shared()) {
            throw ServiceException.invalidArgument("unshare_folder.workspace_id", "the workspace is not shared");
        }
        if (users.isEmpty()) {
            if (shared.role() == MemberRole.OWNER) {
                throw ServiceException.invalidArgument("unshare_folder.emails",
                        "the owner cannot leave their own shared workspace; remove the other members instead");
            }
            return List.of(callerId);
        }
        List<UUID> members = MembershipRows.memberIds(c, shared.workspaceId());
        List<UUID> removed = new ArrayList<>();
        for (UserRef user : users) {
            if (shared.role() != MemberRole.OWNER && !user.userId().equals(callerId)) {
                throw shared.role().refusal("only its owner may remove other members");
            }
            if (user.userId().equals(shared.ownerId())) {
                throw ServiceException.invalidArgument("unshare_folder.emails",
                        "the owner cannot be removed from their own shared workspace");
            }
            if (!members.contains(user.userId())) {
                throw ServiceException.notFound(user.email() + " is not a member of the workspace");
            }
            if (!user.userId().equals(callerId) && GroupGrants.holdsThroughGroup(c, shared.workspaceId(),
                    user.userId())) {
                throw ServiceException.invalidArgument("unshare_folder.emails", user.email()
                        + " holds the workspace through a group shared with it; remove them from the group");
            }
            removed.add(user.userId());
        }
        return removed;
    }

    private static boolean dissolves(Connection c, UUID workspaceId, UUID ownerId, List<UUID> removed)
            throws SQLException {
        for (UUID member : MembershipRows.memberIds(c, workspaceId)) {
            if (!member.equals(ownerId) && !removed.contains(member)) {
                return false;
            }
        }
        return true;
    }

    /** The caller's membership of a workspace it owns and may share folders of. */
    private static Membership ownedSource(Connection c, UUID callerId, UUID workspaceId, boolean lock)
            throws SQLException {
        Membership source = MembershipRows.membership(c, callerId, workspaceId, lock);
        if (source.role() != MemberRole.OWNER) {
            throw source.role().refusal("only its owner may share");
        }
        if (source.shared()) {
            throw ServiceException.invalidArgument("share_folder.folder_id",
                    "a folder of a shared workspace cannot be shared again; add members to the workspace instead");
        }
        return source;
    }

    /** A live folder of the workspace: its name, depth and path from the root. */
    private static Folder folder(Connection c, UUID workspaceId, long folderId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("WITH RECURSIVE up AS ("
                + " SELECT item_id, parent_id, name, depth FROM items WHERE item_id = ? AND workspace_id = ?"
                + " AND is_folder AND NOT deleted"
                + " UNION ALL SELECT i.item_id, i.parent_id, i.name, i.depth FROM items i"
                + " JOIN up ON i.item_id = up.parent_id WHERE i.workspace_id = ?"
                + ") SELECT (SELECT name FROM up WHERE item_id = ?), (SELECT depth FROM up WHERE item_id = ?),"
                + " string_agg(name, '/' ORDER BY depth) FROM up")) {
            select.setLong(1, folderId);
            select.setObject(2, workspaceId);
            select.setObject(3, workspaceId);
            select.setLong(4, folderId);
            select.setLong(5, folderId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next() || row.getString(1) == null) {
                    throw ServiceException.notFound(NO_FOLDER);
                }
                return new Folder(row.getString(1), row.getInt(2), row.getString(3));
            }
        }
    }

    private static List<UUID> everyone(UUID ownerId, List<UUID> members, List<UUID> throughGroups) {
        List<UUID> all = new ArrayList<>();
        all.add(ownerId);
        all.addAll(members);
        all.addAll(throughGroups);
        return all;
    }

    /** Two copies of one request ran at once and the other one won: its stored answer is there now. */
    private static RuntimeException retryIfDuplicate(IllegalStateException e) {
        if (e.getCause() instanceof SQLException sql && Transactions.isUniqueViolation(sql)) {
            // The other copy stored it: a client must not give the request up as if nothing were stored.
            return ServiceException.outcomeUnknown("the same request is being applied; retry with the same request id",
                    Transactions.RETRY_AFTER, e);
        }
        return e;
    }
}
