package org.syncservice.server.workspace;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Storage of groups and of what they grant. A membership change is one transaction that locks the
 * group's row, then the rows of the workspaces shared with the group (in id order), the lock every
 * commit, restore and file lock of a workspace holds and reads membership under: a write racing
 * the removal of its author from the group lands before it or finds them gone. Sharing with a
 * group locks the groups before the workspace, in the same order. Validation failures are
 * {@link org.syncservice.server.core.ServiceException}s (NOT_FOUND for a group the caller does not
 * own or an email of no user, INVALID_ARGUMENT); failures to reach the database are UNAVAILABLE.
 * Implementations are thread-safe.
 */
public interface GroupStore {

    /** Creates the owner's group of that name, or answers the one they have. */
    Group create(UUID ownerId, UUID groupId, String name);

    /**
     * Adds the user of the email; they become a member, with the grant's role, of every workspace
     * shared with the group they were not a member of (SHARED to them, MEMBERS_CHANGED to the
     * members before them).
     */
    Group addMember(UUID ownerId, UUID groupId, String email);

    /**
     * What a removal from a group did.
     *
     * @param left the workspaces the user left, each with its latest change sequence number when
     *     they left it: every write of theirs to it is at most that, none after
     */
    record Removal(Group group, UUID userId, Map<UUID, Long> left) {
        public Removal {
            left = Map.copyOf(left);
        }
    }

    /**
     * Removes the user of the email; they leave every workspace shared with the group that they
     * hold through it alone (UNSHARED to them, MEMBERS_CHANGED to the members left).
     */
    Removal removeMember(UUID ownerId, UUID groupId, String email);

    /** The owner's groups, by name. */
    List<Group> groups(UUID ownerId);

    /** Deletes the group: every member leaves as {@link #removeMember} would have them leave. */
    void delete(UUID ownerId, UUID groupId);
}
