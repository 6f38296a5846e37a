package org.syncservice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.syncservice.client.NotificationHandler;
import org.syncservice.client.NotificationListener;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.client.SyncPosition;
import org.syncservice.client.WorkspaceChanges;
import org.syncservice.protocol.v1.Item;

/**
 * The listening devices: each runs the SDK's notification listener on its user's workspace and
 * records, for every change a notification hands to the application, the time from the version's
 * commit (the server's clock, on this same machine) to its delivery.
 */
final class NotificationLatency implements AutoCloseable {
    private final Recorder latencies = new Recorder(3);
    private final List<NotificationListener> listeners = new ArrayList<>();
    private long delivered;

    static NotificationLatency start(List<Fleet.Device> devices, SyncClientOptions broker) {
        NotificationLatency latency = new NotificationLatency();
        for (Fleet.Device device : devices) {
            latency.listeners.add(NotificationListener.start(device.client(), broker, device.deviceId(),
                    Map.of(device.workspaceId().toString(), SyncPosition.START), latency.handler()));
        }
        return latency;
    }

    private NotificationHandler handler() {
        return new NotificationHandler() {
            @Override
            public void onChanges(WorkspaceChanges changes) {
                if (changes.fromCatchUp()) {
                    return; // not announced by a notification: nothing to time
                }
                long now = System.currentTimeMillis();
                for (Item item : changes.items()) {
                    latencies.recordValue(Math.max(0, now - item.getCommittedAtMs()));
                }
                synchronized (NotificationLatency.this) {
                    delivered += changes.items().size();
                }
            }
        };
    }

    /** Forgets what was recorded so far (the warm-up). */
    void reset() {
        latencies.getIntervalHistogram();
    }

    /** Milliseconds from commit to delivery, since the last reset. */
    Histogram sinceReset() {
        return latencies.getIntervalHistogram();
    }

    @Override
    public void close() {
        for (NotificationListener listener : listeners) {
            listener.close();
        }
    }
}
