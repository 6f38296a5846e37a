package org.syncservice.client;

import org.syncservice.protocol.v1.DeviceRevoked;
import org.syncservice.protocol.v1.WorkspaceEvent;

/**
 * What the application does with notifications, called by a {@link NotificationListener}.
 *
 * <p>Thread-safety: every method is called from the listener's single dispatch thread, one call at
 * a time, so an implementation needs no locking of its own against other calls of the listener.
 * Calls for one workspace come in change sequence order. A method that throws is called again
 * later with the same changes (the listener does not advance past them).
 */
public interface NotificationHandler {

    /** Applies changes of a tracked workspace. Each change sequence number is handed over once. */
    void onChanges(WorkspaceChanges changes);

    /**
     * A workspace was shared with, unshared from or renamed for this user, or its members changed.
     * To follow a newly shared workspace, call {@link NotificationListener#track}.
     */
    default void onWorkspaceEvent(WorkspaceEvent event) {
    }

    /** This device was unregistered or revoked: its token no longer works and the listener stopped. */
    default void onDeviceRevoked(DeviceRevoked revoked) {
    }
}
