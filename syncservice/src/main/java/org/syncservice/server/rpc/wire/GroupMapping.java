package org.syncservice.server.rpc.wire;

import org.syncservice.protocol.v1.GroupMember;
import org.syncservice.server.workspace.Group;

/** Groups on the wire. Thread-safe (stateless). */
public final class GroupMapping {

    private GroupMapping() {
    }

    public static org.syncservice.protocol.v1.Group group(Group group) {
        org.syncservice.protocol.v1.Group.Builder wire = org.syncservice.protocol.v1.Group.newBuilder()
                .setGroupId(group.groupId().toString()).setName(group.name());
        group.members().forEach(m -> wire.addMembers(GroupMember.newBuilder().setUserId(m.userId().toString())
                .setEmail(m.email())));
        return wire.build();
    }
}
