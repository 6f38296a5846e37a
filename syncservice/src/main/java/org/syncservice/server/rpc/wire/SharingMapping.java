package org.syncservice.server.rpc.wire;

import org.syncservice.protocol.v1.Member;
import org.syncservice.protocol.v1.MemberRole;

/** Sharing's domain values to wire messages, for the sharing handlers. Stateless. */
public final class SharingMapping {

    private SharingMapping() {
    }

    public static Member member(org.syncservice.server.workspace.Member member) {
        return Member.newBuilder()
                .setUserId(member.userId().toString())
                .setName(member.name())
                .setEmail(member.email())
                .setRole(switch (member.role()) {
                    case OWNER -> MemberRole.MEMBER_ROLE_OWNER;
                    case MEMBER -> MemberRole.MEMBER_ROLE_MEMBER;
                })
                .setJoinedAtMs(member.joinedAtMs())
                .build();
    }
}
