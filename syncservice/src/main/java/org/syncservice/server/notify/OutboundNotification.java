package org.syncservice.server.notify;

import java.util.Objects;

/** An encoded notification and where it goes. Immutable (the body is not copied: do not change it). */
public record OutboundNotification(String notificationId, String routingKey, byte[] body) {

    public OutboundNotification {
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(body, "body");
    }
}
