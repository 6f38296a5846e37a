package org.syncservice.server.config;

import java.time.Duration;

/** Broker connection and RPC topology settings (keys {@code amqp.*}). */
public record AmqpConfig(
        String host,
        int port,
        String virtualHost,
        String user,
        Secret password,
        boolean tls,
        String requestQueue,
        String notificationExchange,
        boolean quorumQueues,
        int consumers,
        int otherRequestThreads,
        int prefetch,
        Duration heartbeat,
        Duration recoveryInterval) {
}
