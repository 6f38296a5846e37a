package org.syncservice.server.workspace;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.syncservice.server.core.MemberRole;
import org.syncservice.server.core.Principal;
import org.syncservice.server.storage.StorageLocation;

/**
 * Storage of sharing: moving a folder's subtree into a new shared workspace and back, membership
 * changes, and their stored answers and outbox rows. Every change is one transaction that locks
 * the workspaces it changes (as commits do), so sharing and commits of one workspace apply one
 * after the other. Validation failures are {@link org.syncservice.server.core.ServiceException}s
 * (NOT_FOUND for anything the caller may not see, PERMISSION_DENIED naming the role for a member
 * who is not the owner, INVALID_ARGUMENT); failures to reach the database are UNAVAILABLE. Implementations are
 * thread-safe.
 */
public interface SharingStore {

    /** The stored answer of a share_folder or unshare_folder: the operation, its body's hash, its workspace. */
    record Recorded(String operation, byte[] requestHash, UUID workspaceId) {
    }

    Optional<Recorded> recorded(UUID deviceId, String requestId);

    /** A folder the caller may share: where its chunks are now and which chunks its subtree holds. */
    record FolderToShare(StorageLocation source, Set<String> chunks) {
        public FolderToShare {
            chunks = Set.copyOf(chunks);
        }
    }

    /** Checks the caller may share the folder (without locking) and lists its subtree's chunks. */
    FolderToShare folderToShare(UUID callerId, UUID workspaceId, long folderId);

    /**
     * The users of the emails (compared lower-cased), in order.
     *
     * @throws org.syncservice.server.core.ServiceException NOT_FOUND naming the first email of no user
     */
    List<UserRef> usersByEmail(List<String> emails);

    /**
     * A share to apply: the folder's subtree moves into the new workspace {@code workspaceId} at
     * {@code location}, whose chunks in {@code copiedChunks} are already there.
     */
    record NewShare(Principal caller, String requestId, byte[] requestHash, UUID sourceWorkspaceId, long folderId,
                    UUID workspaceId, StorageLocation location, List<UUID> members, List<UUID> groups,
                    MemberRole role, Set<String> copiedChunks) {
        public NewShare {
            members = List.copyOf(members);
            groups = List.copyOf(groups);
        }
    }

    /** Either done, or the chunks the subtree gained since they were copied (copy them, then try again). */
    record Outcome<T>(Optional<T> done, Set<String> missingChunks) {
        public static <T> Outcome<T> of(T done) {
            return new Outcome<>(Optional.of(done), Set.of());
        }

        public static <T> Outcome<T> missing(Set<String> chunks) {
            return new Outcome<>(Optional.empty(), Set.copyOf(chunks));
        }
    }

    /**
     * In one transaction: the new workspace and its members, the subtree's items (version 1, one
     * change sequence number), the source's tombstones (one change sequence number), the grants to
     * the groups, the outbox rows (SHARED per member, COMMIT per workspace) and the stored answer.
     */
    Outcome<SharedWorkspace> share(NewShare share);

    /**
     * Adds users, and the members of the caller's groups, to a shared workspace the caller owns,
     * with the role, and grants it to the groups; users already members keep their role.
     */
    SharedWorkspace addMembers(Principal caller, String requestId, byte[] requestHash, UUID workspaceId,
                               List<UUID> users, List<UUID> groups, MemberRole role);

    /** The workspace as the user sees it, with its members; empty unless the user is a member. */
    Optional<SharedWorkspace> sharedWorkspace(UUID userId, UUID workspaceId);

    /** What an unshare will do, checked without locking. */
    record Removal(StorageLocation location, List<UUID> removed, boolean dissolves,
                   StorageLocation ownerDefault, Set<String> chunks) {
        public Removal {
            removed = List.copyOf(removed);
            chunks = Set.copyOf(chunks);
        }
    }

    /**
     * Checks an unshare: {@code users} empty means the caller leaves.
     *
     * @return the removal; {@code chunks} (the workspace's live chunks) only when it dissolves
     */
    Removal planRemoval(UUID callerId, UUID workspaceId, List<UserRef> users);

    /** What an unshare did: who went, who stays (empty when dissolved). */
    record Removed(StorageLocation location, List<UUID> removed, List<Member> remaining, boolean dissolved) {
        public Removed {
            removed = List.copyOf(removed);
            remaining = List.copyOf(remaining);
        }
    }

    /**
     * In one transaction: removes the members, queues UNSHARED for each and MEMBERS_CHANGED for the
     * rest; when no member but the owner is left, moves the items back into the owner's default
     * workspace (under a new folder at the owner's mount point) and deletes the shared workspace.
     */
    Outcome<Removed> remove(Principal caller, String requestId, byte[] requestHash, UUID workspaceId,
                            List<UserRef> users, Set<String> copiedChunks);
}
