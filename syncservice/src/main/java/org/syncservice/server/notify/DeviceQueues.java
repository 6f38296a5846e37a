package org.syncservice.server.notify;

import java.util.Collection;
import java.util.UUID;

/**
 * The per-device notification queues on the broker. Only the service declares, binds and deletes
 * them; devices may only consume their own (see docs/notifications.md). Implementations are
 * thread-safe; broker failures are {@link org.syncservice.server.core.ServiceException}s of kind
 * UNAVAILABLE.
 */
public interface DeviceQueues {

    /**
     * Declares the device's queue (or finds it again) and binds it to every routing key given.
     * Bindings the queue already has stay.
     *
     * @return the queue's name
     */
    String declareAndBind(UUID deviceId, Collection<String> routingKeys);

    /**
     * Binds the device's queue to one more routing key, if the queue exists; a device without a
     * queue gets the binding when it next subscribes.
     */
    void bindIfExists(UUID deviceId, String routingKey);

    /** Removes one binding of the device's queue; a missing queue or binding is fine. */
    void unbind(UUID deviceId, String routingKey);

    /** Deletes the device's queue with whatever it holds; a queue that does not exist is fine. */
    void delete(UUID deviceId);
}
