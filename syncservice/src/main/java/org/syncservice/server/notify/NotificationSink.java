package org.syncservice.server.notify;

import java.util.List;
import org.syncservice.server.core.Lifecycle;

/**
 * The broker side of publishing: sends encoded notifications to the notification exchange.
 * Used by one publisher thread at a time.
 */
public interface NotificationSink extends Lifecycle {

    /** A notification of a batch that the broker refused, by its place in the batch, and how. */
    record Refused(int index, String reason) {
    }

    /**
     * Publishes every notification persistently, in order, and returns once the broker confirmed
     * or refused each of them: the refused ones (a negative confirm, or a channel the broker closed
     * over that notification alone), every other one is confirmed. Throws when the broker is
     * unreachable or does not answer in time: then the caller must treat all of them as
     * unpublished (some may still arrive: duplicates are dropped by {@code notification_id}).
     */
    List<Refused> publishConfirmed(List<OutboundNotification> notifications) throws Exception;
}
