package org.syncservice.server.sync;

import java.util.ArrayList;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Decides the outcome of every item of one commit, in request order, against the workspace as it
 * stands inside the commit's transaction plus the effects of the request's earlier items. Writes
 * nothing: it collects what to write into a {@link CommitPlan}. One instance serves one commit on
 * one thread.
 *
 * <p>The rules (docs/protocol.md, "commit"): a new item is version 1; a new version is exactly the
 * latest + 1; the same version with the same content is already committed; anything else is a
 * conflict answered with the server's latest version. RENAMED, MOVED and DELETED keep what
 * {@link KeptFields} says, and a version that would change nothing is not stored (it is already
 * committed, answered like every already committed item with the latest version). The parent must
 * be a live folder of the workspace, a folder may not move into its own subtree, no two live items
 * of a folder share a name key ({@link ItemNames}), and the owner's quota must hold the change.
 */
final class CommitEvaluator {
    /** Longer parent chains than this mean corrupt data, not a deep tree. */
    private static final int MAX_DEPTH = 10_000;

    private final WorkspaceTransaction tx;
    private final ItemNames names;
    private final ChangeLimits limits;
    private final UUID workspaceId;
    private final UUID deviceId;
    private final long changeSeq;
    private final long now;
    private final long quotaLimit;
    private final long[] newIds;
    private final StoredChunkSizes storedChunks;
    private final CommitLocks locks;
    private int nextNewId;
    private long quotaUsed;

    // The request's effects so far, over what the transaction reads from the database.
    private final Map<Long, ItemVersion> changed = new HashMap<>();
    private final Map<Slot, Long> claimedSlots = new HashMap<>();
    private final Map<String, Long> tempIds = new HashMap<>();
    private final Set<String> seenTempIds = new HashSet<>();
    private final Set<Long> deletedFolders = new LinkedHashSet<>();
    private final Set<Long> movedFolders = new LinkedHashSet<>();
    private final Set<Long> createdItems = new HashSet<>();
    private final List<CommitPlan.PlannedWrite> writes = new ArrayList<>();
    private final List<ItemResult> results = new ArrayList<>();
    private long quotaDelta;

    /** A folder's name key: the unit of name uniqueness. */
    private record Slot(long parentId, String key) {
    }

    /**
     * @param storedChunks what storage holds of the chunks the changes name (unchecked unless verify-chunks)
     * @param releaseLocks release the device's locks on the files the commit stores (release_locks)
     */
    CommitEvaluator(WorkspaceTransaction tx, ItemNames names, ChangeLimits limits, UUID deviceId, long now,
                   long[] newIds, StoredChunkSizes storedChunks, boolean releaseLocks) {
        this.tx = tx;
        this.names = names;
        this.limits = limits;
        this.workspaceId = tx.workspace().workspaceId();
        this.deviceId = deviceId;
        this.changeSeq = tx.workspace().latestChangeSeq() + 1;
        this.now = now;
        this.quotaUsed = tx.workspace().quotaUsedBytes();
        this.quotaLimit = tx.workspace().quotaLimitBytes();
        this.newIds = newIds;
        this.storedChunks = storedChunks;
        this.locks = new CommitLocks(tx, deviceId, now, releaseLocks);
    }

    /** Evaluates every change, in order; then {@link #results()} and {@link #plan} tell the outcome. */
    void evaluate(List<ItemChange> changes) {
        for (ItemChange change : changes) {
            results.add(evaluateOne(change));
        }
    }

    /** Evaluates a restore: a new version of an existing item that may bring a deleted item back. */
    ItemResult evaluateRestore(ItemChange change) {
        // The client names the latest version it knows, not the version it creates: anything but the
        // latest is a conflict, even when the stored version happens to hold the restored content
        // (a retried restore is recognised by its request id, not by its content).
        Optional<ItemVersion> current = current(change.itemId());
        ItemResult result = current.isPresent() && change.version() != current.get().version() + 1
                ? result(change, change.itemId(), CommitOutcome.CONFLICT, current.get(), null, "version "
                        + (change.version() - 1) + " is not the latest (the latest is " + current.get().version() + ")")
                : existing(change, true);
        results.add(result);
        return result;
    }

    List<ItemResult> results() {
        return List.copyOf(results);
    }

    boolean storesAnything() {
        return !writes.isEmpty();
    }

    CommitPlan plan(String requestId, String operation, byte[] requestHash) {
        return new CommitPlan(storesAnything() ? changeSeq : 0, deviceId, requestId, operation, requestHash,
                writes, List.copyOf(deletedFolders), List.copyOf(movedFolders), quotaDelta, results, locks.ended());
    }

    private ItemResult evaluateOne(ItemChange change) {
        if (change.status() == null) {
            return rejected(change, RejectReason.INVALID_STATUS, "the item has no status");
        }
        if (change.itemId() != 0 && !change.tempId().isEmpty()) {
            return rejected(change, RejectReason.INVALID_FIELD, "an item has item_id or temp_id, not both");
        }
        if (change.itemId() < 0) {
            return rejected(change, RejectReason.ITEM_NOT_FOUND, "no item " + change.itemId() + " in this workspace");
        }
        if (change.status() == ItemStatus.NEW) {
            return created(change);
        }
        if (change.itemId() == 0) {
            return rejected(change, change.tempId().isEmpty() ? RejectReason.INVALID_FIELD : RejectReason.INVALID_STATUS,
                    change.tempId().isEmpty() ? "item_id is required for a " + change.status() + " item"
                            : "temp_id is only for NEW items");
        }
        return existing(change, false);
    }

    private ItemResult created(ItemChange change) {
        if (change.tempId().isEmpty()) {
            return rejected(change, RejectReason.INVALID_STATUS,
                    change.itemId() != 0 ? "a NEW item has a temp_id, not an item_id" : "a NEW item needs a temp_id");
        }
        if (!seenTempIds.add(change.tempId())) {
            return rejected(change, RejectReason.INVALID_FIELD, "temp_id '" + change.tempId() + "' is used twice");
        }
        if (change.version() != 1) {
            return rejected(change, RejectReason.INVALID_STATUS, "a new item's version is 1, not " + change.version());
        }
        Optional<ItemResult> invalid = contentProblem(change);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        ParentResolution parent = resolveParent(change);
        if (parent.failure != null) {
            return parent.failure;
        }
        String name = ItemNames.normalize(change.name());
        Slot slot = new Slot(parent.id, ItemNames.key(name));
        ItemVersion holder = liveHolder(slot);
        if (holder != null) {
            if (sameContent(holder, change)) {
                // Created before (a retry under another request id, or the same file made on two
                // devices): nothing to store, and later items may hang under it by the temp id.
                tempIds.put(change.tempId(), holder.itemId());
                return result(change, holder.itemId(), CommitOutcome.ALREADY_COMMITTED, holder, null, "");
            }
            return result(change, 0, CommitOutcome.REJECTED, holder, RejectReason.NAME_TAKEN,
                    "'" + holder.name() + "' already exists in this folder");
        }
        long charge = change.folder() ? 0 : change.size();
        if (!fitsQuota(charge)) {
            return rejected(change, RejectReason.QUOTA_EXCEEDED, quotaMessage(charge));
        }
        long itemId = newIds[nextNewId++];
        ItemVersion state = new ItemVersion(itemId, workspaceId, parent.id, name, change.folder(), 1, ItemStatus.NEW,
                change.mimeType(), change.checksum(), change.size(), change.modifiedAtMs(), change.chunks(),
                changeSeq, deviceId, now);
        charge(charge);
        changed.put(itemId, state);
        claimedSlots.put(slot, itemId);
        tempIds.put(change.tempId(), itemId);
        createdItems.add(itemId);
        writes.add(new CommitPlan.PlannedWrite(state, depthUnder(parent.id), true));
        return result(change, itemId, CommitOutcome.COMMITTED, state, null, "");
    }

    /**
     * A new version of an existing item; a success ends what it ends of the device's own locks.
     *
     * @param revive a restore: the change is complete as built, and may bring a deleted item back
     */
    private ItemResult existing(ItemChange change, boolean revive) {
        ItemResult result = existingVersion(change, revive);
        if (result.succeeded()) {
            current(change.itemId()).ifPresent(item -> locks.stored(item, change.status(), this::isInSubtree));
        }
        return result;
    }

    private ItemResult existingVersion(ItemChange change, boolean revive) {
        Optional<ItemVersion> found = current(change.itemId());
        if (found.isEmpty()) {
            return rejected(change, RejectReason.ITEM_NOT_FOUND, "no item " + change.itemId() + " in this workspace");
        }
        ItemVersion current = found.get();
        if (change.version() <= current.version()) {
            Optional<ItemVersion> stored = change.version() == current.version()
                    ? Optional.of(current) : tx.version(current.itemId(), change.version());
            if (stored.isPresent() && isRetryOf(stored.get(), KeptFields.filled(change, stored.get()))) {
                // The latest version, not the one matched: an older version's content is history, and a
                // client told it is current would take it for the item's state.
                return result(change, current.itemId(), CommitOutcome.ALREADY_COMMITTED, current, null, "");
            }
            return result(change, current.itemId(), CommitOutcome.CONFLICT, current, null,
                    "version " + change.version() + " is not the latest + 1 (the latest is " + current.version() + ")");
        }
        if (change.version() > current.version() + 1) {
            return result(change, current.itemId(), CommitOutcome.CONFLICT, current, null,
                    "version " + change.version() + " is not the latest + 1 (the latest is " + current.version() + ")");
        }
        ItemChange full = revive ? change : KeptFields.filled(change, current);
        if (full.folder() != current.folder()) {
            return rejected(change, RejectReason.INVALID_FIELD, "is_folder: an item cannot turn into a folder or back");
        }
        if (isEffectivelyDeleted(current) && !revive) {
            return rejected(change, RejectReason.INVALID_STATUS, current.deleted()
                    ? "the item is deleted; restore a version to bring it back"
                    : "the item's folder was deleted earlier in this request");
        }
        Optional<ItemLock> lock = locks.refusing(current, full.status(), this::isInSubtree);
        if (lock.isPresent()) {
            return lockedOut(change, current, lock.get());
        }
        if (full.status() == ItemStatus.DELETED) {
            return deleted(full, current);
        }
        return changedVersion(full, current, revive);
    }

    /** Whether a change at a stored version is that version sent again (its parent named as stored). */
    private boolean isRetryOf(ItemVersion stored, ItemChange change) {
        ParentResolution parent = resolveParentQuietly(change);
        return parent != null && sameVersion(stored, change, parent.id);
    }

    private ItemResult changedVersion(ItemChange change, ItemVersion current, boolean revive) {
        Optional<ItemResult> invalid = contentProblem(change);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        ParentResolution parent = resolveParent(change);
        if (parent.failure != null) {
            return parent.failure;
        }
        String name = ItemNames.normalize(change.name());
        boolean sameParent = parent.id == current.parentId();
        switch (change.status()) {
            case CHANGED -> {
                if (current.folder()) {
                    return rejected(change, RejectReason.INVALID_STATUS, "a folder has no content to change");
                }
                if (!sameParent || !name.equals(current.name())) {
                    return rejected(change, RejectReason.INVALID_STATUS,
                            "CHANGED keeps the name and the parent; use RENAMED or MOVED");
                }
            }
            case RENAMED -> {
                if (!sameParent) {
                    return rejected(change, RejectReason.INVALID_STATUS, "RENAMED keeps the parent; use MOVED");
                }
            }
            case MOVED -> {
                if (current.folder() && !sameParent && isInSubtree(parent.id, current.itemId())) {
                    return rejected(change, RejectReason.CYCLE, "a folder cannot move into its own subtree");
                }
            }
            default -> {
                return rejected(change, RejectReason.INVALID_STATUS, "status " + change.status() + " is not a change");
            }
        }
        // A restore carries an old version's content under whatever status fits its place: its
        // content is meant to differ.
        Optional<ItemResult> kept = revive ? Optional.empty() : keptFieldProblem(change, parent.id, current);
        if (kept.isPresent()) {
            return kept.get();
        }
        ItemVersion state = new ItemVersion(current.itemId(), workspaceId, parent.id, name, current.folder(),
                current.version() + 1, change.status(), change.mimeType(), change.checksum(), change.size(),
                change.modifiedAtMs(), change.chunks(), changeSeq, deviceId, now);
        if (!revive && sameState(state, current)) {
            // A version that changes nothing (a rename back to the current name, a retry under a new
            // request id) is not stored: the item is already in the state the client wants.
            return result(change, current.itemId(), CommitOutcome.ALREADY_COMMITTED, current, null, "");
        }
        Slot slot = new Slot(parent.id, ItemNames.key(name));
        ItemVersion holder = liveHolder(slot);
        if (holder != null && holder.itemId() != current.itemId()) {
            return result(change, current.itemId(), CommitOutcome.REJECTED, holder, RejectReason.NAME_TAKEN,
                    "'" + holder.name() + "' already exists in this folder");
        }
        long charge = (change.folder() ? 0 : change.size()) - current.chargedBytes();
        if (!fitsQuota(charge)) {
            return rejected(change, RejectReason.QUOTA_EXCEEDED, quotaMessage(charge));
        }
        charge(charge);
        release(current);
        changed.put(state.itemId(), state);
        claimedSlots.put(slot, state.itemId());
        if (current.folder() && !sameParent) {
            movedFolders.add(current.itemId());
        }
        writes.add(new CommitPlan.PlannedWrite(state, depthUnder(parent.id), false));
        return result(change, state.itemId(), CommitOutcome.COMMITTED, state, null, "");
    }

    private ItemResult deleted(ItemChange change, ItemVersion current) {
        if (current.deleted()) {
            return rejected(change, RejectReason.INVALID_STATUS, "the item is already deleted");
        }
        long parentId = change.parentId();
        if (!change.parentTempId().isEmpty()) {
            Long id = tempIds.get(change.parentTempId());
            if (id == null) {
                return rejected(change, RejectReason.DEPENDENCY_FAILED, "parent_temp_id '" + change.parentTempId()
                        + "' names no item committed earlier in this request");
            }
            parentId = id;
        }
        Optional<ItemResult> kept = keptFieldProblem(change, parentId, current);
        if (kept.isPresent()) {
            return kept.get();
        }
        ItemVersion tombstone = new ItemVersion(current.itemId(), workspaceId, current.parentId(), current.name(),
                current.folder(), current.version() + 1, ItemStatus.DELETED, current.mimeType(), "", 0,
                current.modifiedAtMs(), List.of(), changeSeq, deviceId, now);
        // A deleted folder's own descendants are freed when the plan is applied, not here: later
        // items of this request see the space as still taken, which can only err on the safe side.
        charge(-current.chargedBytes());
        release(current);
        changed.put(tombstone.itemId(), tombstone);
        if (current.folder()) {
            deletedFolders.add(current.itemId());
        }
        writes.add(new CommitPlan.PlannedWrite(tombstone, depthUnder(current.parentId()), false));
        return result(change, tombstone.itemId(), CommitOutcome.COMMITTED, tombstone, null, "");
    }

    private Optional<ItemResult> keptFieldProblem(ItemChange change, long parentId, ItemVersion current) {
        return KeptFields.problem(change, parentId, current)
                .map(problem -> rejected(change, RejectReason.INVALID_FIELD, problem));
    }

    private Optional<ItemResult> contentProblem(ItemChange change) {
        Optional<String> nameProblem = names.problem(change.name());
        if (nameProblem.isPresent()) {
            return Optional.of(rejected(change, RejectReason.INVALID_NAME, nameProblem.get()));
        }
        Optional<String> fieldProblem = limits.fieldProblem(change);
        if (fieldProblem.isPresent()) {
            return Optional.of(rejected(change, RejectReason.INVALID_FIELD, fieldProblem.get()));
        }
        Optional<String> chunkProblem = limits.chunkProblem(change.chunks());
        if (chunkProblem.isPresent()) {
            return Optional.of(rejected(change, RejectReason.INVALID_CHUNKS, chunkProblem.get()));
        }
        for (String chunk : change.chunks()) {
            if (storedChunks.missing(chunk)) {
                return Optional.of(rejected(change, RejectReason.CHUNKS_MISSING,
                        "chunk " + chunk + " is not in storage; upload it first"));
            }
        }
        // Quota charges the declared size: with the check on it must be what storage holds, or a
        // client could store a large file's bytes under the size of a small one.
        OptionalLong stored = change.folder() ? OptionalLong.empty() : storedChunks.bytesOf(change.chunks());
        if (stored.isPresent() && stored.getAsLong() != change.size()) {
            return Optional.of(rejected(change, RejectReason.INVALID_FIELD, "size: the item declares "
                    + change.size() + " bytes, its chunks in storage hold " + stored.getAsLong()));
        }
        return Optional.empty();
    }

    /** The parent an item names: 0 for the root, else a live folder of this workspace. */
    private record ParentResolution(long id, ItemResult failure) {
    }

    private ParentResolution resolveParent(ItemChange change) {
        if (!change.parentTempId().isEmpty()) {
            Long id = tempIds.get(change.parentTempId());
            if (id == null) {
                return new ParentResolution(0, rejected(change, RejectReason.DEPENDENCY_FAILED,
                        "parent_temp_id '" + change.parentTempId() + "' names no item committed earlier in this request"));
            }
            return checkedParent(change, id);
        }
        if (change.parentId() < 0) {
            return new ParentResolution(0, rejected(change, RejectReason.INVALID_PARENT, "no folder " + change.parentId()));
        }
        return change.parentId() == 0 ? new ParentResolution(0, null) : checkedParent(change, change.parentId());
    }

    private ParentResolution checkedParent(ItemChange change, long parentId) {
        Optional<ItemVersion> parent = current(parentId);
        if (parent.isEmpty() || !parent.get().folder() || isEffectivelyDeleted(parent.get())) {
            return new ParentResolution(0, rejected(change, RejectReason.INVALID_PARENT,
                    "the parent " + parentId + " is not a live folder of this workspace"));
        }
        return new ParentResolution(parentId, null);
    }

    /** The parent id a change names, without judging it; null when a temp id is unknown. */
    private ParentResolution resolveParentQuietly(ItemChange change) {
        if (!change.parentTempId().isEmpty()) {
            Long id = tempIds.get(change.parentTempId());
            return id == null ? null : new ParentResolution(id, null);
        }
        return new ParentResolution(Math.max(0, change.parentId()), null);
    }

    private Optional<ItemVersion> current(long itemId) {
        ItemVersion state = changed.get(itemId);
        return state != null ? Optional.of(state) : tx.item(itemId);
    }

    /** The live item holding a slot once this request's earlier items are taken into account. */
    private ItemVersion liveHolder(Slot slot) {
        Long claimed = claimedSlots.get(slot);
        if (claimed != null) {
            ItemVersion holder = changed.get(claimed);
            if (holds(holder, slot)) {
                return holder;
            }
        }
        if (createdItems.contains(slot.parentId)) {
            return null; // a folder created by this request holds only what this request put in it
        }
        Optional<ItemVersion> stored = tx.liveChild(slot.parentId, slot.key);
        if (stored.isEmpty()) {
            return null;
        }
        ItemVersion holder = current(stored.get().itemId()).orElseThrow();
        return holds(holder, slot) ? holder : null;
    }

    private boolean holds(ItemVersion item, Slot slot) {
        return item != null && !isEffectivelyDeleted(item) && item.parentId() == slot.parentId
                && ItemNames.key(item.name()).equals(slot.key);
    }

    private void release(ItemVersion item) {
        claimedSlots.remove(new Slot(item.parentId(), ItemNames.key(item.name())), item.itemId());
    }

    /** Deleted, or under a folder this request deleted. */
    private boolean isEffectivelyDeleted(ItemVersion item) {
        if (item.deleted()) {
            return true;
        }
        if (deletedFolders.isEmpty()) {
            return false;
        }
        long parentId = item.parentId();
        for (int depth = 0; parentId != 0; depth++) {
            if (deletedFolders.contains(parentId) || depth > MAX_DEPTH) {
                return true;
            }
            parentId = current(parentId).map(ItemVersion::parentId).orElse(0L);
        }
        return false;
    }

    /** Whether {@code folderId} is {@code ancestorId} or lies below it. */
    private boolean isInSubtree(long folderId, long ancestorId) {
        long id = folderId;
        for (int depth = 0; id != 0; depth++) {
            if (id == ancestorId) {
                return true;
            }
            if (depth > MAX_DEPTH) {
                throw new IllegalStateException("parent chain of item " + folderId + " does not end");
            }
            id = current(id).map(ItemVersion::parentId).orElse(0L);
        }
        return false;
    }

    /** The depth of an item placed in {@code parentId}: 0 in the root. */
    private int depthUnder(long parentId) {
        int depth = 0;
        for (long id = parentId; id != 0; depth++) {
            if (depth > MAX_DEPTH) {
                throw new IllegalStateException("parent chain of item " + parentId + " does not end");
            }
            id = current(id).map(ItemVersion::parentId).orElse(0L);
        }
        return depth;
    }

    private boolean fitsQuota(long charge) {
        return charge <= 0 || quotaUsed + charge <= quotaLimit;
    }

    private String quotaMessage(long charge) {
        return "the change needs " + charge + " more bytes; the owner uses " + quotaUsed + " of " + quotaLimit;
    }

    private void charge(long bytes) {
        quotaUsed += bytes;
        quotaDelta += bytes;
    }

    /** A retry of the same version: same status, place and content. */
    private static boolean sameVersion(ItemVersion stored, ItemChange change, long parentId) {
        if (stored.status() != change.status()) {
            return false;
        }
        if (stored.deleted()) {
            return true;
        }
        return stored.parentId() == parentId && stored.name().equals(ItemNames.normalize(change.name()))
                && sameContent(stored, change);
    }

    /** Whether a new version would leave a live item as it is: same place, kind, bytes and description. */
    private static boolean sameState(ItemVersion next, ItemVersion current) {
        return !current.deleted() && next.parentId() == current.parentId() && next.name().equals(current.name())
                && next.folder() == current.folder() && next.mimeType().equals(current.mimeType())
                && next.checksum().equals(current.checksum()) && next.size() == current.size()
                && next.modifiedAtMs() == current.modifiedAtMs() && next.chunks().equals(current.chunks());
    }

    /** The same kind of item with the same bytes. */
    private static boolean sameContent(ItemVersion stored, ItemChange change) {
        return stored.folder() == change.folder()
                && (stored.folder() || (stored.size() == change.size()
                && Objects.equals(stored.checksum(), change.checksum())
                && stored.chunks().equals(change.chunks())));
    }

    /** REJECTED as LOCKED, naming the holder, with the item's latest version and the lock. */
    private static ItemResult lockedOut(ItemChange change, ItemVersion current, ItemLock lock) {
        String what = lock.itemId() == current.itemId() ? "the file" : "file " + lock.itemId() + " in this folder";
        String message = what + " is locked by " + lock.holder() + " until "
                + Instant.ofEpochMilli(lock.expiresAtMs())
                + (lock.reason().isEmpty() ? "" : " (" + lock.reason() + ")");
        return new ItemResult(current.itemId(), change.tempId(), CommitOutcome.REJECTED, current, RejectReason.LOCKED,
                message, lock);
    }

    private ItemResult rejected(ItemChange change, RejectReason reason, String message) {
        return result(change, change.itemId(), CommitOutcome.REJECTED, null, reason, message);
    }

    private static ItemResult result(ItemChange change, long itemId, CommitOutcome outcome, ItemVersion current,
                                     RejectReason reason, String message) {
        return new ItemResult(itemId, change.tempId(), outcome, current, reason, message);
    }
}
