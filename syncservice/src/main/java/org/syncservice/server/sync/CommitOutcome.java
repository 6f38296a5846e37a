package org.syncservice.server.sync;

/** The result kind of one commit item. */
public enum CommitOutcome {
    COMMITTED, ALREADY_COMMITTED, CONFLICT, REJECTED
}
