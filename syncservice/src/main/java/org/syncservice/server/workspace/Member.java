package org.syncservice.server.workspace;

import java.util.UUID;
import org.syncservice.server.core.MemberRole;

/** A member of a workspace as list_members shows it: the member's own name for it, and role. Immutable. */
public record Member(UUID userId, String name, String email, MemberRole role, long joinedAtMs) {
}
