package org.syncservice.server.rpc.wire;

import org.syncservice.protocol.v1.Member;
import org.syncservice.protocol.v1.MemberRole;
import org.syncservice.server.core.ServiceException;

/** Sharing's domain values to wire messages and back, for the sharing handlers. Stateless. */
public final class SharingMapping {

    private SharingMapping() {
    }

    public static Member member(org.syncservice.server.workspace.Member member) {
        return Member.newBuilder()
                .setUserId(member.userId().toString())
                .setName(member.name())
                .setEmail(member.email())
                .setRole(role(member.role()))
                .setJoinedAtMs(member.joinedAtMs())
                .build();
    }

    /** The wire role; the writer role keeps its old wire name, MEMBER_ROLE_MEMBER (number 2). */
    public static MemberRole role(org.syncservice.server.core.MemberRole role) {
        return switch (role) {
            case OWNER -> MemberRole.MEMBER_ROLE_OWNER;
            case WRITER -> MemberRole.MEMBER_ROLE_MEMBER;
            case READER -> MemberRole.MEMBER_ROLE_READER;
        };
    }

    /**
     * The role a request gives a member: the writer role (also when unset) or READER. OWNER is
     * refused: a workspace has one owner, and ownership is not handed over this way.
     *
     * @param roleNumber the request's role field as a number (an unknown number is not a {@link MemberRole})
     * @param unsetMeansWriter whether an unset role is the writer role (share_folder) or refused
     */
    public static org.syncservice.server.core.MemberRole grantedRole(String field, int roleNumber,
                                                                    boolean unsetMeansWriter) {
        MemberRole role = MemberRole.forNumber(roleNumber);
        if (role == null) {
            throw ServiceException.invalidArgument(field, "unknown role number " + roleNumber
                    + "; give MEMBER_ROLE_MEMBER (writer) or MEMBER_ROLE_READER");
        }
        return switch (role) {
            case MEMBER_ROLE_MEMBER -> org.syncservice.server.core.MemberRole.WRITER;
            case MEMBER_ROLE_READER -> org.syncservice.server.core.MemberRole.READER;
            case MEMBER_ROLE_UNSPECIFIED -> {
                if (unsetMeansWriter) {
                    yield org.syncservice.server.core.MemberRole.WRITER;
                }
                throw ServiceException.invalidArgument(field,
                        "name the role: MEMBER_ROLE_MEMBER (writer) or MEMBER_ROLE_READER");
            }
            case MEMBER_ROLE_OWNER -> throw ServiceException.invalidArgument(field,
                    "a workspace has one owner; give MEMBER_ROLE_MEMBER (writer) or MEMBER_ROLE_READER");
            case UNRECOGNIZED -> throw new IllegalStateException("forNumber never answers UNRECOGNIZED");
        };
    }
}
