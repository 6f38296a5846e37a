package org.syncservice.server.workspace;

import java.time.Clock;
import java.util.UUID;
import org.syncservice.server.core.EmailAddresses;
import org.syncservice.server.core.MemberRole;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * change_member_role: the owner of a shared workspace makes a member a writer or a reader. Setting
 * a role is setting a state, so a retry answers as the first call did and changes nothing more.
 * Thread-safe.
 */
public final class RoleService {
    private static final Logger log = LoggerFactory.getLogger(RoleService.class);
    static final String FIELD = "change_member_role";

    private final RoleStore store;
    private final Clock clock;

    public RoleService(RoleStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param email the member's email, or empty
     * @param userId the member's user id, or null; exactly one of the two names the member
     * @param role WRITER or READER
     */
    public RoleStore.RoleChange changeRole(Principal caller, UUID workspaceId, String email, UUID userId,
                                           MemberRole role) {
        if (role == MemberRole.OWNER) {
            throw ServiceException.invalidArgument(FIELD + ".role", "a workspace has one owner; give WRITER or READER");
        }
        boolean byEmail = email != null && !email.isEmpty();
        if (byEmail == (userId != null)) {
            throw ServiceException.invalidArgument(FIELD + ".email",
                    "name the member by exactly one of email and user_id");
        }
        RoleStore.MemberRef member = byEmail
                ? new RoleStore.MemberRef(null, EmailAddresses.requirePlain(FIELD + ".email", email))
                : new RoleStore.MemberRef(userId, null);
        RoleStore.RoleChange change = store.changeRole(caller.userId(), workspaceId, member, role, clock.millis());
        if (change.changed()) {
            log.info("user {} is now {} of workspace {} (after change_seq {}), set by user {}", change.userId(), role,
                    workspaceId, change.atChangeSeq(), caller.userId());
        }
        return change;
    }
}
