package org.syncservice.server.rpc.wire;

import com.google.protobuf.MessageLite;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.Map;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.Item;
import org.syncservice.server.sync.CommitOutcome;
import org.syncservice.server.sync.ItemChange;
import org.syncservice.server.sync.ItemResult;
import org.syncservice.server.sync.ItemStatus;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.sync.RejectReason;

/**
 * Items, commit items and results between the wire and the sync logic. The enum tables are built
 * once, when the class loads, from the names the two sides share (a wire enum that lacks one of
 * the logic's values fails then, not on a request). Thread-safe.
 */
public final class ItemMapping {
    private static final Map<CommitOutcome, org.syncservice.protocol.v1.CommitOutcome> OUTCOMES =
            byName(CommitOutcome.class, org.syncservice.protocol.v1.CommitOutcome.class, "COMMIT_OUTCOME_");
    private static final Map<RejectReason, org.syncservice.protocol.v1.RejectReason> REASONS =
            byName(RejectReason.class, org.syncservice.protocol.v1.RejectReason.class, "REJECT_REASON_");
    private static final Map<ItemStatus, org.syncservice.protocol.v1.ItemStatus> STATUSES =
            byName(ItemStatus.class, org.syncservice.protocol.v1.ItemStatus.class, "ITEM_STATUS_");
    /** One digest per thread: looking the algorithm up again for every request costs more than hashing. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    private ItemMapping() {
    }

    private static <S extends Enum<S>, W extends Enum<W>> Map<S, W> byName(Class<S> logic, Class<W> wire,
                                                                         String prefix) {
        EnumMap<S, W> table = new EnumMap<>(logic);
        for (S value : logic.getEnumConstants()) {
            table.put(value, Enum.valueOf(wire, prefix + value.name()));
        }
        return table;
    }

    public static Item item(ItemVersion version) {
        Item.Builder item = Item.newBuilder()
                .setItemId(version.itemId())
                .setWorkspaceId(version.workspaceId().toString())
                .setParentId(version.parentId())
                .setName(version.name())
                .setIsFolder(version.folder())
                .setVersion(version.version())
                .setStatus(status(version.status()))
                .setMimeType(version.mimeType())
                .setChecksum(version.checksum())
                .setSize(version.size())
                .setModifiedAtMs(version.modifiedAtMs())
                .addAllChunks(version.chunks())
                .setChangeSeq(version.changeSeq())
                .setCommittedAtMs(version.committedAtMs());
        if (version.deviceId() != null) {
            item.setDeviceId(version.deviceId().toString());
        }
        return item.build();
    }

    /** A commit item as the sync logic takes it; an unknown status becomes null, which it rejects. */
    public static ItemChange change(CommitItem item) {
        return new ItemChange(item.getItemId(), item.getTempId(), item.getParentId(), item.getParentTempId(),
                item.getVersion(), status(item.getStatus()), item.getName(), item.getMimeType(), item.getIsFolder(),
                item.getChecksum(), item.getSize(), item.getModifiedAtMs(), item.getChunksList());
    }

    public static CommitItemResult result(ItemResult result) {
        CommitItemResult.Builder wire = CommitItemResult.newBuilder()
                .setOutcome(OUTCOMES.get(result.outcome()))
                .setMessage(result.message());
        if (!result.tempId().isEmpty()) {
            wire.setTempId(result.tempId());
        } else {
            wire.setItemId(result.itemId());
        }
        if (result.current() != null) {
            wire.setCurrent(item(result.current()));
        }
        if (result.reason() != null) {
            wire.setReason(REASONS.get(result.reason()));
        }
        if (result.lock() != null) {
            wire.setLock(LockMapping.lock(result.lock()));
        }
        return wire.build();
    }

    public static org.syncservice.protocol.v1.ItemStatus status(ItemStatus status) {
        return STATUSES.get(status);
    }

    public static ItemStatus status(org.syncservice.protocol.v1.ItemStatus status) {
        return switch (status) {
            case ITEM_STATUS_NEW -> ItemStatus.NEW;
            case ITEM_STATUS_CHANGED -> ItemStatus.CHANGED;
            case ITEM_STATUS_RENAMED -> ItemStatus.RENAMED;
            case ITEM_STATUS_MOVED -> ItemStatus.MOVED;
            case ITEM_STATUS_DELETED -> ItemStatus.DELETED;
            case ITEM_STATUS_UNSPECIFIED, UNRECOGNIZED -> null;
        };
    }

    /** What identifies a request's content for its stored answer: SHA-256 of the operation's bytes. */
    public static byte[] hash(MessageLite operation) {
        return SHA_256.get().digest(operation.toByteArray());
    }
}
