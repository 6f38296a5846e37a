package org.syncservice.server.rpc.handlers;

import com.google.protobuf.MessageLite;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.Item;
import org.syncservice.server.sync.ItemChange;
import org.syncservice.server.sync.ItemResult;
import org.syncservice.server.sync.ItemStatus;
import org.syncservice.server.sync.ItemVersion;

/** Items, commit items and results between the wire and the sync logic. */
final class ItemMapping {

    private ItemMapping() {
    }

    static Item item(ItemVersion version) {
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
    static ItemChange change(CommitItem item) {
        return new ItemChange(item.getItemId(), item.getTempId(), item.getParentId(), item.getParentTempId(),
                item.getVersion(), status(item.getStatus()), item.getName(), item.getMimeType(), item.getIsFolder(),
                item.getChecksum(), item.getSize(), item.getModifiedAtMs(), item.getChunksList());
    }

    static CommitItemResult result(ItemResult result) {
        CommitItemResult.Builder wire = CommitItemResult.newBuilder()
                .setOutcome(org.syncservice.protocol.v1.CommitOutcome.valueOf("COMMIT_OUTCOME_" + result.outcome().name()))
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
            wire.setReason(org.syncservice.protocol.v1.RejectReason.valueOf("REJECT_REASON_" + result.reason().name()));
        }
        return wire.build();
    }

    static org.syncservice.protocol.v1.ItemStatus status(ItemStatus status) {
        return org.syncservice.protocol.v1.ItemStatus.valueOf("ITEM_STATUS_" + status.name());
    }

    static ItemStatus status(org.syncservice.protocol.v1.ItemStatus status) {
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
    static byte[] hash(MessageLite operation) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(operation.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
