package org.syncservice.server.rpc.wire;

import com.google.protobuf.CodedOutputStream;
import org.syncservice.protocol.v1.CommitNotification;
import org.syncservice.protocol.v1.DeviceRegistered;
import org.syncservice.protocol.v1.DeviceRevoked;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemLockEvent;
import org.syncservice.protocol.v1.ItemLockEventKind;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.protocol.v1.Workspace;
import org.syncservice.protocol.v1.WorkspaceEvent;
import org.syncservice.protocol.v1.WorkspaceEventKind;
import org.syncservice.server.notify.NotificationEncoder;
import org.syncservice.server.notify.OutboxEvent;
import org.syncservice.server.sync.ItemVersion;

/**
 * Outbox events as wire {@code Notification}s, each at most {@code notifications.max-notification-bytes}
 * long: a commit whose items would pass that lists only the first items that fit and sets
 * {@code items_omitted} (none at all when even the first is too large), so one notification
 * with thousands of chunk names cannot reach the broker's message limits. Stateless and thread-safe.
 */
public final class NotificationWire implements NotificationEncoder {
    /** notification.commit's field number, for its size on the wire. */
    private static final int COMMIT_FIELD = Notification.COMMIT_FIELD_NUMBER;

    private final int maxNotificationBytes;

    /** @param maxNotificationBytes the budget of one encoded notification */
    public NotificationWire(int maxNotificationBytes) {
        this.maxNotificationBytes = maxNotificationBytes;
    }

    @Override
    public byte[] encode(OutboxEvent event, long publishedAtMs) {
        Notification.Builder wire = Notification.newBuilder()
                .setNotificationId(event.notificationId())
                .setPublishedAtMs(publishedAtMs);
        if (event instanceof OutboxEvent.Commit commit) {
            wire.setCommit(commit(commit, maxNotificationBytes - wire.build().getSerializedSize()));
        } else if (event instanceof OutboxEvent.Workspace workspace) {
            wire.setWorkspace(workspace(workspace));
        } else if (event instanceof OutboxEvent.ItemLockChange change) {
            wire.setItemLock(itemLock(change));
        } else if (event instanceof OutboxEvent.DeviceRegistered registered) {
            wire.setDeviceRegistered(DeviceRegistered.newBuilder().setDeviceId(registered.deviceId().toString())
                    .setName(registered.name()).setOs(registered.os()));
        } else {
            OutboxEvent.DeviceRevoked revoked = (OutboxEvent.DeviceRevoked) event;
            wire.setDeviceRevoked(DeviceRevoked.newBuilder().setDeviceId(revoked.deviceId().toString()));
        }
        return wire.build().toByteArray();
    }

    /** @param budget the bytes left for the commit field (its tag and length included) */
    private static CommitNotification commit(OutboxEvent.Commit commit, int budget) {
        CommitNotification.Builder wire = CommitNotification.newBuilder()
                .setWorkspaceId(commit.workspaceId().toString())
                .setChangeSeq(commit.changeSeq())
                .setRequestId(commit.requestId())
                .setItemsOmitted(true)
                .setItemCount(commit.itemCount())
                .addAllTouchedFolderIds(commit.touchedFolderIds())
                .setTouchedFoldersOmitted(commit.touchedFoldersOmitted());
        if (commit.deviceId() != null) {
            wire.setDeviceId(commit.deviceId().toString());
        }
        // Sized with items_omitted set, the larger case, so whichever way it ends the whole fits.
        int size = wire.build().getSerializedSize();
        boolean omitted = commit.itemsOmitted();
        for (ItemVersion version : commit.items()) {
            Item item = ItemMapping.item(version);
            int grown = size + CodedOutputStream.computeMessageSize(CommitNotification.ITEMS_FIELD_NUMBER, item);
            if (fieldSize(grown) > budget) {
                omitted = true;
                break;
            }
            wire.addItems(item);
            size = grown;
        }
        return wire.setItemsOmitted(omitted).build();
    }

    /** The bytes a commit message of this size takes as a field of the notification. */
    private static int fieldSize(int messageSize) {
        return CodedOutputStream.computeTagSize(COMMIT_FIELD) + CodedOutputStream.computeUInt32SizeNoTag(messageSize)
                + messageSize;
    }

    private static ItemLockEvent itemLock(OutboxEvent.ItemLockChange change) {
        ItemLockEvent.Builder wire = ItemLockEvent.newBuilder()
                .setWorkspaceId(change.lock().workspaceId().toString())
                .setItemId(change.lock().itemId())
                .setLock(LockMapping.lock(change.lock()));
        if (change.end() == null) {
            return wire.setKind(ItemLockEventKind.ITEM_LOCK_EVENT_KIND_LOCKED).build();
        }
        return wire.setKind(ItemLockEventKind.ITEM_LOCK_EVENT_KIND_UNLOCKED).setEnd(LockMapping.end(change.end()))
                .build();
    }

    private static WorkspaceEvent workspace(OutboxEvent.Workspace event) {
        WorkspaceEventKind kind = switch (event.change()) {
            case SHARED -> WorkspaceEventKind.WORKSPACE_EVENT_KIND_SHARED;
            case UNSHARED -> WorkspaceEventKind.WORKSPACE_EVENT_KIND_UNSHARED;
            case RENAMED -> WorkspaceEventKind.WORKSPACE_EVENT_KIND_RENAMED;
            case MEMBERS_CHANGED -> WorkspaceEventKind.WORKSPACE_EVENT_KIND_MEMBERS_CHANGED;
            case CREATED -> WorkspaceEventKind.WORKSPACE_EVENT_KIND_CREATED;
            case PERMISSIONS_CHANGED -> WorkspaceEventKind.WORKSPACE_EVENT_KIND_PERMISSIONS_CHANGED;
        };
        Workspace workspace = event.view() != null ? WireMapping.workspace(event.view())
                : Workspace.newBuilder().setWorkspaceId(event.workspaceId().toString()).build();
        return WorkspaceEvent.newBuilder().setKind(kind).setWorkspace(workspace).build();
    }
}
