package org.syncservice.server.sync;

/** Why a commit item was rejected. */
public enum RejectReason {
    INVALID_NAME,
    NAME_TAKEN,
    INVALID_PARENT,
    CYCLE,
    ITEM_NOT_FOUND,
    INVALID_STATUS,
    QUOTA_EXCEEDED,
    INVALID_CHUNKS,
    CHUNKS_MISSING,
    DEPENDENCY_FAILED,
    INVALID_FIELD,
    /** Another device holds a live lock on the file (or on a file of the deleted folder). */
    LOCKED
}
