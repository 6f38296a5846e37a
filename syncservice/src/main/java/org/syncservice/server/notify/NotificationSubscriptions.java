package org.syncservice.server.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.syncservice.server.account.AccountService;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.workspace.WorkspaceService;
import org.syncservice.server.workspace.WorkspaceView;

/**
 * subscribe_notifications: the service (never the device) declares the calling device's queue and
 * binds it to the workspaces its user is a member of now, to the user and to the device. Calling
 * it again is harmless and adds the bindings of memberships gained since. Thread-safe.
 */
public final class NotificationSubscriptions {
    private final WorkspaceService workspaces;
    private final AccountService accounts;
    private final DeviceQueues queues;
    private final NotificationRoutes routes;
    private final Duration queueTtl;

    public NotificationSubscriptions(WorkspaceService workspaces, AccountService accounts, DeviceQueues queues,
                                     NotificationRoutes routes, Duration queueTtl) {
        this.workspaces = workspaces;
        this.accounts = accounts;
        this.queues = queues;
        this.routes = routes;
        this.queueTtl = queueTtl;
    }

    /** Where the device consumes its notifications. Immutable. */
    public record Subscription(String queue, String exchange, Duration queueTtl) {
    }

    public Subscription subscribe(Principal caller) {
        List<String> keys = new ArrayList<>();
        for (WorkspaceView workspace : workspaces.list(caller.userId())) {
            keys.add(NotificationRoutes.workspace(workspace.workspaceId()));
        }
        keys.add(NotificationRoutes.user(caller.userId()));
        keys.add(NotificationRoutes.device(caller.deviceId()));
        String queue = queues.declareAndBind(caller.deviceId(), keys);
        // The token may still be cached here after the device was revoked elsewhere. Checking the
        // database after declaring closes the race with the revocation's queue deletion: either the
        // revocation committed before this check (the queue goes now) or the publisher deletes the
        // queue after it committed, which is after this declaration.
        if (!isActive(caller)) {
            queues.delete(caller.deviceId());
            throw ServiceException.unauthenticated("the device is no longer registered");
        }
        return new Subscription(queue, routes.exchange(), queueTtl);
    }

    private boolean isActive(Principal caller) {
        UUID deviceId = caller.deviceId();
        return accounts.listDevices(caller.userId()).stream().anyMatch(d -> d.deviceId().equals(deviceId));
    }
}
