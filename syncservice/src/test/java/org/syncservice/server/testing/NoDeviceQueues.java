package org.syncservice.server.testing;

import java.util.Collection;
import java.util.UUID;
import org.syncservice.server.notify.DeviceQueues;

/** Device queues that accept every declaration and hold nothing: components wired without a broker. */
public final class NoDeviceQueues implements DeviceQueues {
    @Override
    public String declareAndBind(UUID deviceId, Collection<String> routingKeys) {
        return "device." + deviceId;
    }

    @Override
    public void bindIfExists(UUID deviceId, String routingKey) {
    }

    @Override
    public void unbind(UUID deviceId, String routingKey) {
    }

    @Override
    public void delete(UUID deviceId) {
    }
}
