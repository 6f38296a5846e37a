package org.syncservice.server.workspace;

import java.util.List;
import java.util.UUID;
import org.syncservice.server.core.MemberRole;

/**
 * Storage of member roles. A change is one transaction holding the workspace's lock, the one every
 * commit, restore and file lock of the workspace holds and reads the role under, so a change takes
 * effect at once on every instance: a write racing it lands before it or finds the new role.
 * Validation failures are {@link org.syncservice.server.core.ServiceException}s (NOT_FOUND for a
 * workspace the caller may not see or a user who is no member, PERMISSION_DENIED for a caller who
 * is not the owner, INVALID_ARGUMENT for the owner's own role); failures to reach the database are
 * UNAVAILABLE. Implementations are thread-safe.
 */
public interface RoleStore {

    /** A member named by user id or by email (the other one null). */
    record MemberRef(UUID userId, String email) {
        /** How the member was named, for messages. */
        public String named() {
            return email != null ? email : "user " + userId;
        }
    }

    /**
     * What a role change did.
     *
     * @param changed false when the member had the role already (nothing written, no events)
     * @param atChangeSeq the workspace's latest change sequence number when the role changed: every
     *     write of the member's up to it landed under the old role, none after it under the old one
     */
    record RoleChange(UUID userId, boolean changed, long atChangeSeq, List<Member> members) {
        public RoleChange {
            members = List.copyOf(members);
        }
    }

    /**
     * Gives the member the role and, when it changed, queues PERMISSIONS_CHANGED for every member,
     * in one transaction holding the workspace's lock. A member made READER loses the file locks
     * they hold that count at {@code nowMs} (broken, with their UNLOCKED events): a reader holds no
     * locks, and could not end them.
     */
    RoleChange changeRole(UUID callerId, UUID workspaceId, MemberRef member, MemberRole role, long nowMs);
}
