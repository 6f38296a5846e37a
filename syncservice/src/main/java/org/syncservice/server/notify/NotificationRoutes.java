package org.syncservice.server.notify;

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

    /** Where an event goes. */
    public static String routingKey(OutboxEvent event) {
        if (event instanceof OutboxEvent.Commit commit) {
            return workspace(commit.workspaceId());
        }
        if (event instanceof OutboxEvent.Workspace workspace) {
            return user(workspace.userId());
        }
        if (event instanceof OutboxEvent.DeviceRegistered registered) {
            return user(registered.userId());
        }
        // To every device of the user (the revoked one included, whose queue is bound to the user's
        // key as well); a row without a user reaches the revoked device only.
        OutboxEvent.DeviceRevoked revoked = (OutboxEvent.DeviceRevoked) event;
        return revoked.userId() != null ? user(revoked.userId()) : device(revoked.deviceId());
    }
}
