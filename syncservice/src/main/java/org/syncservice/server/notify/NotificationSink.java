package org.syncservice.server.notify;

import java.util.List;
import org.syncservice.server.core.Lifecycle;

/**
 * The broker side of publishing: sends encoded notifications to the notification exchange.
 * Used by one publisher thread at a time.
 */
public interface NotificationSink extends Lifecycle {

    /**
     * Publishes every notification persistently, in order, and returns once the broker confirmed
     * all of them. Throws when the broker is unreachable, refuses one, or does not confirm in time:
     * then the caller must treat all of them as unpublished (some may still arrive: duplicates are
     * dropped by {@code notification_id}).
     */
    void publishConfirmed(List<OutboundNotification> notifications) throws Exception;
}
