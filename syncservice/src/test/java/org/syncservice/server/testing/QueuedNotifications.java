package org.syncservice.server.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.syncservice.protocol.v1.Notification;

/** Reads a device's notification queue straight from the broker, for tests that watch what arrives. */
public final class QueuedNotifications {

    private QueuedNotifications() {
    }

    /**
     * Takes the queue's notifications until one matches {@code last}.
     *
     * @return every notification taken, the matching one last
     * @throws AssertionError naming what was seen when none matches within {@code patience}
     */
    public static List<Notification> until(Channel broker, String queue, Predicate<Notification> last,
                                           Duration patience) throws Exception {
        List<Notification> seen = new ArrayList<>();
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            GetResponse response = broker.basicGet(queue, true);
            if (response == null) {
                Thread.sleep(20);
                continue;
            }
            Notification notification = Notification.parseFrom(response.getBody());
            seen.add(notification);
            if (last.test(notification)) {
                return seen;
            }
        }
        throw new AssertionError("no expected message in " + queue + " within " + patience + "; saw " + seen);
    }
}
