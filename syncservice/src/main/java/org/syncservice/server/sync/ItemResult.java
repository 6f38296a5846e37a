package org.syncservice.server.sync;

import java.util.Objects;

/**
 * The answer for one commit item. Immutable.
 *
 * @param itemId the item (assigned for a new item that was committed; 0 for a rejected new item)
 * @param tempId the request item's temporary id, empty for existing items
 * @param current committed: the stored version; already committed and conflict: the server's latest;
 *     rejected with NAME_TAKEN: the item holding the name; otherwise null
 * @param reason set for REJECTED only
 * @param message why, for people; empty on success
 * @param lock rejected with LOCKED: the lock that refused it; otherwise null
 */
public record ItemResult(
        long itemId,
        String tempId,
        CommitOutcome outcome,
        ItemVersion current,
        RejectReason reason,
        String message,
        ItemLock lock) {

    public ItemResult {
        tempId = tempId == null ? "" : tempId;
        Objects.requireNonNull(outcome, "outcome");
        message = message == null ? "" : message;
    }

    public ItemResult(long itemId, String tempId, CommitOutcome outcome, ItemVersion current, RejectReason reason,
                      String message) {
        this(itemId, tempId, outcome, current, reason, message, null);
    }

    public boolean succeeded() {
        return outcome == CommitOutcome.COMMITTED || outcome == CommitOutcome.ALREADY_COMMITTED;
    }
}
