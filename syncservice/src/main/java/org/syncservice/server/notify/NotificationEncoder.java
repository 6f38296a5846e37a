package org.syncservice.server.notify;

/** Turns an outbox event into the bytes of a wire notification. Implementations are thread-safe. */
@FunctionalInterface
public interface NotificationEncoder {

    byte[] encode(OutboxEvent event, long publishedAtMs);
}
