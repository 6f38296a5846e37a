package org.syncservice.server.core;


/**
 * A member's role in a workspace; stored by name. The OWNER shares, changes roles and unshares;
 * a WRITER reads and writes; a READER only reads (lists, downloads).
 */
public enum MemberRole {
    OWNER, WRITER, READER;

    /** Whether the role may change the workspace's items, locks and chunks. */
    public boolean writes() {
        return this != READER;
    }

    /**
     * PERMISSION_DENIED for a write this role may not make; the message names the role, so that
     * a client can tell the user why.
     */
    public ServiceException refusal(String what) {
        return ServiceException.permissionDenied("you are a " + name() + " of this workspace; " + what);
    }

    /** Refuses a write unless the role {@link #writes}. */
    public void requireWrites(String what) {
        if (!writes()) {
            throw refusal(what);
        }
    }
}
