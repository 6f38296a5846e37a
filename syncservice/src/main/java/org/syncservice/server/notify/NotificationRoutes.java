package org.syncservice.server.notify;

import java.util.List;
import java.util.UUID;

/**
 * The names of notification routing: routing keys per event and the device queue names, all
 * derived from ids so that every instance computes the same ones. Immutable and thread-safe.
 */
public final class NotificationRoutes {
    private final String exchange;

    public NotificationRoutes(String exchange) {
        this.exchange = exchange;
    }

    public String exchange() {
        return exchange;
    }

    public static String workspace(UUID workspaceId) {
        return "ws." + workspaceId;
    }

    public static String user(UUID userId) {
        return "user." + userId;
    }

    public static String device(UUID deviceId) {
        return "device." + deviceId;
    }

    /** The device's own queue: {@code <exchange>.device.<device_id>}. */
    public String deviceQueue(UUID deviceId) {
        return exchange + "." + device(deviceId);
    }

    /**
     * Where an event goes: one routing key, or for a registered device one per device to tell
     * (none when the user has no other device).
     */
    public static List<String> routingKeys(OutboxEvent event) {
        if (event instanceof OutboxEvent.Commit commit) {
            return List.of(workspace(commit.workspaceId()));
        }
        if (event instanceof OutboxEvent.ItemLockChange change) {
            // Every member's devices, the holder's included: a broken lock is news to them most of all.
            return List.of(workspace(change.lock().workspaceId()));
        }
        if (event instanceof OutboxEvent.Workspace workspace) {
            return List.of(user(workspace.userId()));
        }
        if (event instanceof OutboxEvent.DeviceRegistered registered) {
            // Not to the user's key: the new device, subscribing right after its login, would be
            // told of itself.
            return registered.recipients().stream().map(NotificationRoutes::device).toList();
        }
        // To every device of the user (the revoked one included, whose queue is bound to the user's
        // key as well); a row without a user reaches the revoked device only.
        OutboxEvent.DeviceRevoked revoked = (OutboxEvent.DeviceRevoked) event;
        return List.of(revoked.userId() != null ? user(revoked.userId()) : device(revoked.deviceId()));
    }
}
