package org.syncservice.server.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.core.MemberRole;

/** A workspace held in memory, for the pure commit rules; stands in for the store's transaction. */
final class InMemoryWorkspace implements WorkspaceTransaction {
    static final UUID WORKSPACE = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
    static final UUID OWNER = UUID.fromString("00000000-0000-0000-0000-0000000000bb");

    private final Map<Long, ItemVersion> items = new HashMap<>();
    private final Map<Long, Map<Long, ItemVersion>> history = new HashMap<>();
    private long nextId = 100;
    private long latestSeq;
    private long quotaUsed;
    private final long quotaLimit;
    final List<CommitPlan> applied = new ArrayList<>();

    InMemoryWorkspace(long quotaLimit) {
        this.quotaLimit = quotaLimit;
    }

    /** Stores an item as if an earlier commit had. */
    ItemVersion put(long id, long parentId, String name, boolean folder, long version, long size) {
        ItemVersion item = new ItemVersion(id, WORKSPACE, parentId, ItemNames.normalize(name), folder, version,
                version == 1 ? ItemStatus.NEW : ItemStatus.CHANGED, "", folder ? "" : "sha256:" + id, size, 0,
                folder ? List.of() : List.of("chunk" + id + "aaaaaaaa"), ++latestSeq, null, 1);
        items.put(id, item);
        history.computeIfAbsent(id, k -> new HashMap<>()).put(version, item);
        quotaUsed += item.chargedBytes();
        return item;
    }

    private final Map<Long, ItemLock> locks = new HashMap<>();

    /** Puts a lock on an item, as lock_item would have. */
    void lock(ItemLock lock) {
        locks.put(lock.itemId(), lock);
    }

    @Override
    public Map<Long, ItemLock> liveLocks(long nowMs) {
        Map<Long, ItemLock> live = new HashMap<>();
        locks.forEach((id, lock) -> {
            if (lock.liveAt(nowMs)) {
                live.put(id, lock);
            }
        });
        return live;
    }

    @Override
    public LockedWorkspace workspace() {
        return new LockedWorkspace(WORKSPACE, OWNER, latestSeq, quotaUsed, quotaLimit, MemberRole.OWNER);
    }

    @Override
    public Optional<RecordedRequest> recordedRequest(UUID deviceId, String requestId) {
        return Optional.empty();
    }


    @Override
    public Optional<ItemVersion> item(long itemId) {
        return Optional.ofNullable(items.get(itemId));
    }

    @Override
    public Optional<ItemVersion> version(long itemId, long version) {
        return Optional.ofNullable(history.getOrDefault(itemId, Map.of()).get(version));
    }

    @Override
    public Optional<ItemVersion> liveChild(long parentId, String nameKey) {
        return items.values().stream()
                .filter(i -> !i.deleted() && i.parentId() == parentId && ItemNames.key(i.name()).equals(nameKey))
                .findFirst();
    }


    /** Ids for new items, as a transaction reserves them with its locks. */
    long[] allocateItemIds(int count) {
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = nextId++;
        }
        return ids;
    }

    @Override
    public void apply(CommitPlan plan) {
        applied.add(plan);
    }
}
