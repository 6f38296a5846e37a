package org.syncservice.server.rpc.handlers;

import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.protocol.v1.SubscribeNotificationsResponse;
import org.syncservice.server.notify.NotificationSubscriptions;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;

/** Serves subscribe_notifications. Thread-safe. */
public final class SubscribeNotificationsHandler implements OperationHandler {
    private final NotificationSubscriptions subscriptions;

    public SubscribeNotificationsHandler(NotificationSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.SUBSCRIBE_NOTIFICATIONS;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        NotificationSubscriptions.Subscription subscription = subscriptions.subscribe(call.caller());
        response.setSubscribeNotifications(SubscribeNotificationsResponse.newBuilder()
                .setQueue(subscription.queue())
                .setExchange(subscription.exchange())
                .setQueueTtlMs(subscription.queueTtl().toMillis()));
    }
}
