package org.syncservice.server.workspace;

import java.util.List;
import java.util.UUID;
import org.syncservice.server.core.EmailAddresses;
import org.syncservice.server.core.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * create_group, add_group_member, remove_group_member, list_groups and delete_group, for a group's
 * owner (by RPC) or an operator (the group admin command) acting as them. Each sets a state, so a
 * retry answers as the first call did (delete_group's retry: NOT_FOUND, the group being gone).
 * Thread-safe.
 */
public final class GroupService {
    private static final Logger log = LoggerFactory.getLogger(GroupService.class);
    static final int MAX_NAME_CHARS = 100;

    private final GroupStore store;

    public GroupService(GroupStore store) {
        this.store = store;
    }

    public Group create(UUID ownerId, String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME_CHARS
                || trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw ServiceException.invalidArgument("create_group.name",
                    "a group name is 1 to " + MAX_NAME_CHARS + " characters, none of them control characters");
        }
        Group group = store.create(ownerId, UUID.randomUUID(), trimmed);
        log.info("user {} has group {} ({} member(s))", ownerId, group.groupId(), group.members().size());
        return group;
    }

    public Group addMember(UUID ownerId, UUID groupId, String email) {
        Group group = store.addMember(ownerId, groupId, email("add_group_member.email", email));
        log.info("user {} added a member to group {}", ownerId, groupId);
        return group;
    }

    public GroupStore.Removal removeMember(UUID ownerId, UUID groupId, String email) {
        GroupStore.Removal removal = store.removeMember(ownerId, groupId, email("remove_group_member.email", email));
        removal.left().forEach((workspaceId, atChangeSeq) -> log.info("user {} left workspace {} (after change_seq {})"
                + " with group {}", removal.userId(), workspaceId, atChangeSeq, groupId));
        log.info("user {} removed user {} from group {}", ownerId, removal.userId(), groupId);
        return removal;
    }

    public List<Group> groups(UUID ownerId) {
        return store.groups(ownerId);
    }

    public void delete(UUID ownerId, UUID groupId) {
        store.delete(ownerId, groupId);
        log.info("user {} deleted group {}", ownerId, groupId);
    }

    private static String email(String field, String email) {
        String plain = EmailAddresses.requirePlain(field, email == null ? "" : email);
        if (plain.isEmpty()) {
            throw ServiceException.invalidArgument(field, "name the user by their email");
        }
        return plain;
    }
}
