package org.syncservice.server.workspace;

import java.util.List;
import java.util.UUID;

/** A group of users as its owner sees it: its members in the order they were added. Immutable. */
public record Group(UUID groupId, UUID ownerId, String name, List<UserRef> members) {
    public Group {
        members = List.copyOf(members);
    }
}
