package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.CommitNotification;
import org.syncservice.protocol.v1.DeviceRevoked;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.protocol.v1.Workspace;
import org.syncservice.protocol.v1.WorkspaceEvent;
import org.syncservice.protocol.v1.WorkspaceEventKind;
import org.syncservice.server.notify.NotificationEncoder;
import org.syncservice.server.notify.OutboxEvent;
import org.syncservice.server.sync.ItemVersion;

/** Outbox events as wire {@code Notification}s. Stateless and thread-safe. */
public final class NotificationWire implements NotificationEncoder {

    @Override
    public byte[] encode(OutboxEvent event, long publishedAtMs) {
        Notification.Builder wire = Notification.newBuilder()
                .setNotificationId(event.notificationId())
                .setPublishedAtMs(publishedAtMs);
        if (event instanceof OutboxEvent.Commit commit) {
            wire.setCommit(commit(commit));
        } else if (event instanceof OutboxEvent.Workspace workspace) {
            wire.setWorkspace(workspace(workspace));
        } else {
            OutboxEvent.DeviceRevoked revoked = (OutboxEvent.DeviceRevoked) event;
            wire.setDeviceRevoked(DeviceRevoked.newBuilder().setDeviceId(revoked.deviceId().toString()));
        }
        return wire.build().toByteArray();
    }

    private static CommitNotification commit(OutboxEvent.Commit commit) {
        CommitNotification.Builder wire = CommitNotification.newBuilder()
                .setWorkspaceId(commit.workspaceId().toString())
                .setChangeSeq(commit.changeSeq())
                .setRequestId(commit.requestId())
                .setItemsOmitted(commit.itemsOmitted())
                .setItemCount(commit.itemCount());
        if (commit.deviceId() != null) {
            wire.setDeviceId(commit.deviceId().toString());
        }
        for (ItemVersion item : commit.items()) {
            wire.addItems(ItemMapping.item(item));
        }
        return wire.build();
    }

    private static WorkspaceEvent workspace(OutboxEvent.Workspace event) {
        WorkspaceEventKind kind = switch (event.change()) {
            case SHARED -> WorkspaceEventKind.WORKSPACE_EVENT_KIND_SHARED;
            case UNSHARED -> WorkspaceEventKind.WORKSPACE_EVENT_KIND_UNSHARED;
            case RENAMED -> WorkspaceEventKind.WORKSPACE_EVENT_KIND_RENAMED;
            case MEMBERS_CHANGED -> WorkspaceEventKind.WORKSPACE_EVENT_KIND_MEMBERS_CHANGED;
        };
        Workspace workspace = event.view() != null ? WireMapping.workspace(event.view())
                : Workspace.newBuilder().setWorkspaceId(event.workspaceId().toString()).build();
        return WorkspaceEvent.newBuilder().setKind(kind).setWorkspace(workspace).build();
    }
}
