package org.syncservice.server.notify;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.syncservice.server.sync.ItemLock;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.sync.LockEnd;
import org.syncservice.server.workspace.WorkspaceView;

/**
 * One outbox row, rebuilt from the rows it refers to: what happened, not a stored wire message.
 * Immutable.
 */
public sealed interface OutboxEvent {

    long outboxId();

    /** Unique per outbox row, so a device can drop a repeat after a republish. */
    default String notificationId() {
        return "o" + outboxId();
    }

    /**
     * A commit (or restore) that took {@code changeSeq} in a workspace.
     *
     * @param items the versions it wrote; empty when {@code itemsOmitted}
     * @param itemCount how many versions it wrote
     * @param touchedFolderIds the folders whose contents it changed (0: the root), ascending: the
     *     parents of its versions and the parents moved items left; empty when
     *     {@code touchedFoldersOmitted} (more than {@link #MAX_TOUCHED_FOLDERS})
     */
    record Commit(long outboxId, UUID workspaceId, long changeSeq, UUID deviceId, String requestId,
                  List<ItemVersion> items, int itemCount, boolean itemsOmitted, List<Long> touchedFolderIds,
                  boolean touchedFoldersOmitted) implements OutboxEvent {
        /** Enough for a device to tell a commit in its folders from others, small beside the notification's budget. */
        public static final int MAX_TOUCHED_FOLDERS = 64;

        public Commit {
            Objects.requireNonNull(workspaceId, "workspaceId");
            items = List.copyOf(items);
            requestId = requestId == null ? "" : requestId;
            touchedFolderIds = List.copyOf(touchedFolderIds);
            if (touchedFolderIds.size() > MAX_TOUCHED_FOLDERS) {
                throw new IllegalArgumentException("more than " + MAX_TOUCHED_FOLDERS + " touched folders");
            }
        }

        /** A commit whose touched folders are not known: a device of some folders fetches it. */
        public Commit(long outboxId, UUID workspaceId, long changeSeq, UUID deviceId, String requestId,
                      List<ItemVersion> items, int itemCount, boolean itemsOmitted) {
            this(outboxId, workspaceId, changeSeq, deviceId, requestId, items, itemCount, itemsOmitted, List.of(),
                    true);
        }
    }

    /** What happened to a user's view of a workspace. */
    enum WorkspaceChange { SHARED, UNSHARED, RENAMED, MEMBERS_CHANGED, CREATED, PERMISSIONS_CHANGED }

    /**
     * A workspace event for one user.
     *
     * @param view the workspace as the user now sees it; null when the user is no longer a member
     * @param deviceIds the user's registered devices, whose queues follow SHARED, CREATED and
     *                  UNSHARED (empty for the other changes)
     */
    record Workspace(long outboxId, WorkspaceChange change, UUID userId, UUID workspaceId, WorkspaceView view,
                     List<UUID> deviceIds) implements OutboxEvent {
        public Workspace {
            Objects.requireNonNull(change, "change");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(workspaceId, "workspaceId");
            deviceIds = deviceIds == null ? List.of() : List.copyOf(deviceIds);
        }

        public Workspace(long outboxId, WorkspaceChange change, UUID userId, UUID workspaceId, WorkspaceView view) {
            this(outboxId, change, userId, workspaceId, view, List.of());
        }
    }

    /**
     * A device was unregistered or revoked: it and the user's other devices are told so, then its
     * queue is deleted.
     */
    record DeviceRevoked(long outboxId, UUID userId, UUID deviceId) implements OutboxEvent {
        public DeviceRevoked {
            Objects.requireNonNull(deviceId, "deviceId");
        }
    }

    /**
     * A user registered a new device (logged in with it for the first time).
     *
     * @param recipients the user's other devices registered before it and not revoked: those told
     */
    record DeviceRegistered(long outboxId, UUID userId, UUID deviceId, String name, String os,
                            List<UUID> recipients) implements OutboxEvent {
        public DeviceRegistered {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(deviceId, "deviceId");
            name = name == null ? "" : name;
            os = os == null ? "" : os;
            recipients = List.copyOf(recipients);
        }
    }

    /**
     * A file of a workspace was locked (or the lock renewed), or its lock ended before its expiry.
     *
     * @param lock the lock as taken, or as it was when it ended
     * @param end how it ended; null for a lock taken or renewed
     */
    record ItemLockChange(long outboxId, ItemLock lock, LockEnd end) implements OutboxEvent {
        public ItemLockChange {
            Objects.requireNonNull(lock, "lock");
        }
    }
}
