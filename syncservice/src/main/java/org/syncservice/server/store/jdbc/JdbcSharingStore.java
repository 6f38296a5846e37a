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
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.storage.StorageLocation;
import org.syncservice.server.sync.ItemNames;
import org.syncservice.server.workspace.Member;
import org.syncservice.server.workspace.MemberRole;
import org.syncservice.server.workspace.SharedWorkspace;
import org.syncservice.server.workspace.SharingStore;
import org.syncservice.server.workspace.UserRef;
import org.syncservice.server.workspace.WorkspaceView;

/**
 * Sharing in PostgreSQL. Each change locks the workspace rows it changes ({@code FOR UPDATE}, as a
 * commit does) and never the owner's user row (sharing moves bytes between workspaces of one owner,
 * so quota does not change). An unshare that dissolves locks the shared workspace, then the owner's
 * default workspace: commits take one workspace lock, so no two transactions wait in a cycle.
 * Thread-safe.
 */
public final class JdbcSharingStore implements SharingStore {
    private static final String NO_WORKSPACE = "no such workspace";
    private static final String NO_FOLDER = "no such folder";

    private final Transactions tx;

    public JdbcSharingStore(DataSource dataSource) {
        this.tx = new Transactions(dataSource);
    }

    /** The caller's membership of a workspace, with the workspace's facts. */
    private record Membership(UUID workspaceId, UUID ownerId, MemberRole role, String name, String mountPoint,
                              boolean shared, long latestChangeSeq, StorageLocation location) {
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
                Membership source = ownedSource(c, ownerId, share.sourceWorkspaceId(), true);
                Folder folder = folder(c, share.sourceWorkspaceId(), share.folderId());
                Set<String> missing = SubtreeRows.chunks(c, share.sourceWorkspaceId(), share.folderId());
                missing.removeAll(share.copiedChunks());
                if (!missing.isEmpty()) {
                    return Outcome.<SharedWorkspace>missing(missing);
                }
                UUID newId = share.workspaceId();
                insertWorkspace(c, newId, ownerId, share.location());
                String ownerMount = source.mountPoint().isEmpty() ? folder.path()
                        : source.mountPoint() + "/" + folder.path();
                insertMember(c, newId, ownerId, MemberRole.OWNER, folder.name(), ownerMount);
                for (UUID member : share.members()) {
                    insertMember(c, newId, member, MemberRole.MEMBER, folder.name(), "");
                }
                for (UUID user : everyone(ownerId, share.members())) {
                    OutboxRows.workspace(c, OutboxKind.WORKSPACE_SHARED, newId, user);
                }
                int copied = SubtreeRows.copy(c, share.sourceWorkspaceId(), share.folderId(), newId, 0,
                        -(folder.depth() + 1), 1, deviceId, share.requestId());
                if (copied > 0) {
                    setSequence(c, newId, 1);
                    OutboxRows.commit(c, newId, 1, deviceId, share.requestId());
                }
                long sourceSeq = source.latestChangeSeq() + 1;
                SubtreeRows.tombstone(c, share.sourceWorkspaceId(), share.folderId(), sourceSeq, deviceId,
                        share.requestId());
                setSequence(c, share.sourceWorkspaceId(), sourceSeq);
                OutboxRows.commit(c, share.sourceWorkspaceId(), sourceSeq, deviceId, share.requestId());
                RequestLogRows.insert(c, answers, deviceId, share.requestId(), "share_folder", newId, share.requestHash());
                return Outcome.of(shared(c, ownerId, newId).orElseThrow());
            });
        } catch (IllegalStateException e) {
            throw retryIfDuplicate(e);
        }
    }

    @Override
    public SharedWorkspace addMembers(Principal caller, String requestId, byte[] requestHash, UUID workspaceId,
                                      List<UUID> users) {
        try {
            StoredAnswers answers = new StoredAnswers();
            return tx.inTransaction(answers, c -> {
                Membership shared = membership(c, caller.userId(), workspaceId, true);
                if (shared.role() != MemberRole.OWNER) {
                    throw ServiceException.permissionDenied("only the owner may share");
                }
                if (!shared.shared()) {
                    throw ServiceException.invalidArgument("share_folder.folder_id",
                            "folder_id 0 adds members to a shared workspace; this one is not shared");
                }
                List<UUID> before = memberIds(c, workspaceId);
                List<UUID> added = new ArrayList<>();
                for (UUID user : users) {
                    if (!before.contains(user)) {
                        insertMember(c, workspaceId, user, MemberRole.MEMBER, shared.name(), "");
                        OutboxRows.workspace(c, OutboxKind.WORKSPACE_SHARED, workspaceId, user);
                        added.add(user);
                    }
                }
                if (!added.isEmpty()) {
                    for (UUID member : before) {
                        OutboxRows.workspace(c, OutboxKind.MEMBERS_CHANGED, workspaceId, member);
                    }
                }
                RequestLogRows.insert(c, answers, caller.deviceId(), requestId, "share_folder", workspaceId, requestHash);
                return shared(c, caller.userId(), workspaceId).orElseThrow();
            });
        } catch (IllegalStateException e) {
            throw retryIfDuplicate(e);
        }
    }

    @Override
    public Optional<SharedWorkspace> sharedWorkspace(UUID userId, UUID workspaceId) {
        return tx.inTransaction(c -> shared(c, userId, workspaceId));
    }

    @Override
    public Removal planRemoval(UUID callerId, UUID workspaceId, List<UserRef> users) {
        return tx.inTransaction(c -> {
            Membership shared = membership(c, callerId, workspaceId, false);
            List<UUID> removed = removedUsers(c, shared, callerId, users);
            boolean dissolves = dissolves(c, workspaceId, shared.ownerId(), removed);
            if (!dissolves) {
                return new Removal(shared.location(), removed, false, null, Set.of());
            }
            StorageLocation ownerDefault = defaultWorkspace(c, shared.ownerId(), false).location();
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
                Membership shared = membership(c, caller.userId(), workspaceId, true);
                List<UUID> removed = removedUsers(c, shared, caller.userId(), users);
                if (!dissolves(c, workspaceId, shared.ownerId(), removed)) {
                    try (PreparedStatement delete = c.prepareStatement(
                            "DELETE FROM workspace_members WHERE workspace_id = ? AND user_id = ANY (?)")) {
                        delete.setObject(1, workspaceId);
                        delete.setArray(2, c.createArrayOf("uuid", removed.toArray()));
                        delete.executeUpdate();
                    }
                    forgetCursors(c, workspaceId, removed);
                    for (UUID user : removed) {
                        OutboxRows.workspace(c, OutboxKind.WORKSPACE_UNSHARED, workspaceId, user);
                    }
                    for (UUID user : memberIds(c, workspaceId)) {
                        OutboxRows.workspace(c, OutboxKind.MEMBERS_CHANGED, workspaceId, user);
                    }
                    RequestLogRows.insert(c, answers, caller.deviceId(), requestId, "unshare_folder", workspaceId, requestHash);
                    List<Member> remaining = members(c, workspaceId);
                    return Outcome.of(new Removed(shared.location(), removed, remaining, false));
                }
                Set<String> missing = SubtreeRows.chunks(c, workspaceId, 0);
                missing.removeAll(copiedChunks);
                if (!missing.isEmpty()) {
                    return Outcome.<Removed>missing(missing);
                }
                List<UUID> everyone = memberIds(c, workspaceId);
                dissolve(c, shared, caller.deviceId(), requestId);
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

    /**
     * Moves the shared workspace's live items into the owner's default workspace, under a new folder
     * at the owner's mount point (its parent folders when they still exist, else the root) named as
     * the owner names the workspace (or "name (shared)", "name (shared 2)", ... when taken), then
     * deletes the shared workspace with its items, versions and members.
     */
    private static void dissolve(Connection c, Membership shared, UUID deviceId, String requestId)
            throws SQLException {
        Membership home = defaultWorkspace(c, shared.ownerId(), true);
        String ownerMount = ownerMountPoint(c, shared.workspaceId(), shared.ownerId());
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
        String base = ownerName(c, shared.workspaceId(), shared.ownerId());
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
        setSequence(c, home.workspaceId(), seq);
        OutboxRows.commit(c, home.workspaceId(), seq, deviceId, requestId);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM workspaces WHERE workspace_id = ?")) {
            delete.setObject(1, shared.workspaceId());
            delete.executeUpdate();
        }
    }

    /** The live child of a folder (0: the root) with that name: {item id, depth}. */
    private static Optional<long[]> liveChild(Connection c, UUID workspaceId, long parentId, String name,
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

    private static String ownerMountPoint(Connection c, UUID workspaceId, UUID ownerId) throws SQLException {
        return memberColumn(c, "mount_point", workspaceId, ownerId);
    }

    private static String ownerName(Connection c, UUID workspaceId, UUID ownerId) throws SQLException {
        return memberColumn(c, "name", workspaceId, ownerId);
    }

    private static String memberColumn(Connection c, String column, UUID workspaceId, UUID userId)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + column
                + " FROM workspace_members WHERE workspace_id = ? AND user_id = ?")) {
            select.setObject(1, workspaceId);
            select.setObject(2, userId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : "";
            }
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
        List<UUID> members = memberIds(c, shared.workspaceId());
        List<UUID> removed = new ArrayList<>();
        for (UserRef user : users) {
            if (shared.role() != MemberRole.OWNER && !user.userId().equals(callerId)) {
                throw ServiceException.permissionDenied("only the owner may remove other members");
            }
            if (user.userId().equals(shared.ownerId())) {
                throw ServiceException.invalidArgument("unshare_folder.emails",
                        "the owner cannot be removed from their own shared workspace");
            }
            if (!members.contains(user.userId())) {
                throw ServiceException.notFound(user.email() + " is not a member of the workspace");
            }
            removed.add(user.userId());
        }
        return removed;
    }

    private static boolean dissolves(Connection c, UUID workspaceId, UUID ownerId, List<UUID> removed)
            throws SQLException {
        for (UUID member : memberIds(c, workspaceId)) {
            if (!member.equals(ownerId) && !removed.contains(member)) {
                return false;
            }
        }
        return true;
    }

    private static void forgetCursors(Connection c, UUID workspaceId, List<UUID> users) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM device_cursors WHERE workspace_id = ?"
                + " AND device_id IN (SELECT device_id FROM devices WHERE user_id = ANY (?))")) {
            delete.setObject(1, workspaceId);
            delete.setArray(2, c.createArrayOf("uuid", users.toArray()));
            delete.executeUpdate();
        }
    }

    /** The caller's membership of a workspace it owns and may share folders of. */
    private static Membership ownedSource(Connection c, UUID callerId, UUID workspaceId, boolean lock)
            throws SQLException {
        Membership source = membership(c, callerId, workspaceId, lock);
        if (source.role() != MemberRole.OWNER) {
            throw ServiceException.permissionDenied("only the owner may share");
        }
        if (source.shared()) {
            throw ServiceException.invalidArgument("share_folder.folder_id",
                    "a folder of a shared workspace cannot be shared again; add members to the workspace instead");
        }
        return source;
    }

    private static Membership membership(Connection c, UUID userId, UUID workspaceId, boolean lock)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT w.workspace_id, w.owner_id, m.role, m.name,"
                + " m.mount_point, w.is_shared, w.latest_change_seq, w.storage_backend, w.storage_container,"
                + " w.storage_prefix FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.workspace_id"
                + " WHERE w.workspace_id = ? AND m.user_id = ?" + (lock ? " FOR UPDATE OF w" : ""))) {
            select.setObject(1, workspaceId);
            select.setObject(2, userId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw ServiceException.notFound(NO_WORKSPACE);
                }
                return membership(row);
            }
        }
    }

    private static Membership defaultWorkspace(Connection c, UUID ownerId, boolean lock) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT w.workspace_id, w.owner_id, m.role, m.name,"
                + " m.mount_point, w.is_shared, w.latest_change_seq, w.storage_backend, w.storage_container,"
                + " w.storage_prefix FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.workspace_id"
                + " AND m.user_id = w.owner_id WHERE w.owner_id = ? AND w.is_default"
                + (lock ? " FOR UPDATE OF w" : ""))) {
            select.setObject(1, ownerId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("user " + ownerId + " has no default workspace");
                }
                return membership(row);
            }
        }
    }

    private static Membership membership(ResultSet row) throws SQLException {
        return new Membership(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                MemberRole.valueOf(row.getString(3)), row.getString(4), row.getString(5), row.getBoolean(6),
                row.getLong(7), new StorageLocation(StorageConfig.Backend.valueOf(row.getString(8)),
                row.getString(9), row.getString(10)));
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

    private static void insertWorkspace(Connection c, UUID workspaceId, UUID ownerId, StorageLocation location)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO workspaces (workspace_id, owner_id,"
                + " is_default, is_shared, storage_backend, storage_container, storage_prefix)"
                + " VALUES (?, ?, false, true, ?, ?, ?)")) {
            insert.setObject(1, workspaceId);
            insert.setObject(2, ownerId);
            insert.setString(3, location.backend().name());
            insert.setString(4, location.container());
            insert.setString(5, location.prefix());
            insert.executeUpdate();
        }
    }

    private static void insertMember(Connection c, UUID workspaceId, UUID userId, MemberRole role, String name,
                                     String mountPoint) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO workspace_members (workspace_id, user_id,"
                + " role, name, mount_point) VALUES (?, ?, ?, ?, ?)")) {
            insert.setObject(1, workspaceId);
            insert.setObject(2, userId);
            insert.setString(3, role.name());
            insert.setString(4, name);
            insert.setString(5, mountPoint);
            insert.executeUpdate();
        }
    }

    private static void setSequence(Connection c, UUID workspaceId, long seq) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE workspaces SET latest_change_seq = ? WHERE workspace_id = ?")) {
            update.setLong(1, seq);
            update.setObject(2, workspaceId);
            update.executeUpdate();
        }
    }

    private static List<UUID> everyone(UUID ownerId, List<UUID> members) {
        List<UUID> all = new ArrayList<>();
        all.add(ownerId);
        all.addAll(members);
        return all;
    }

    private static List<UUID> memberIds(Connection c, UUID workspaceId) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        for (Member member : members(c, workspaceId)) {
            ids.add(member.userId());
        }
        return ids;
    }

    private static List<Member> members(Connection c, UUID workspaceId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT m.user_id, m.name, u.email, m.role, m.joined_at"
                + " FROM workspace_members m JOIN users u ON u.user_id = m.user_id WHERE m.workspace_id = ?"
                + " ORDER BY m.role = 'MEMBER', m.joined_at, u.email")) {
            select.setObject(1, workspaceId);
            List<Member> members = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    members.add(new Member(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                            MemberRole.valueOf(rows.getString(4)), rows.getTimestamp(5).getTime()));
                }
            }
            return members;
        }
    }

    private static Optional<SharedWorkspace> shared(Connection c, UUID userId, UUID workspaceId) throws SQLException {
        WorkspaceView view;
        try (PreparedStatement select = c.prepareStatement(WorkspaceRows.SELECT_VIEW
                + " WHERE m.user_id = ? AND m.workspace_id = ?")) {
            select.setObject(1, userId);
            select.setObject(2, workspaceId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                view = WorkspaceRows.view(rows);
            }
        }
        return Optional.of(new SharedWorkspace(view, members(c, workspaceId)));
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
