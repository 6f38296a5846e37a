package org.syncservice.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Broker connection and RPC topology settings (keys {@code amqp.*}).
 *
 * @param consumerPriority the request consumers' priority on the queue; empty for one drawn at start
 * @param managementUrl RabbitMQ's management API, through which revoked devices' connections are
 *     closed; empty when they are only contained
 */
public record AmqpConfig(
        String host,
        int port,
        String virtualHost,
        String user,
        Secret password,
        boolean tls,
        String requestQueue,
        String requestExchange,
        String notificationExchange,
        boolean quorumQueues,
        int consumers,
        int otherRequestThreads,
        int prefetch,
        OptionalInt consumerPriority,
        Duration heartbeat,
        Duration recoveryInterval,
        Optional<URI> managementUrl,
        String managementUser,
        Secret managementPassword) {
    /** The highest priority an operator may set; {@code auto} draws one below it. */
    public static final int MAX_CONSUMER_PRIORITY = 1_000_000;
}
