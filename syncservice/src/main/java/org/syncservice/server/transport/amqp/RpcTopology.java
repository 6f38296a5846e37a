package org.syncservice.server.transport.amqp;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;
import org.syncservice.server.config.AmqpConfig;

/**
 * The broker objects the service owns: the durable request queue every instance consumes (a
 * quorum queue when configured), the durable direct request exchange bound to it (routing key:
 * the queue's name), which clients publish to, and the durable topic exchange notifications go to.
 * Declaring them is idempotent, so every instance declares them at start. Clients that still
 * publish to the default exchange by the queue's name reach the same queue.
 */
final class RpcTopology {
    private final String requestQueue;
    private final String requestExchange;
    private final String notificationExchange;
    private final boolean quorumQueues;

    RpcTopology(AmqpConfig config) {
        this(config.requestQueue(), config.requestExchange(), config.notificationExchange(), config.quorumQueues());
    }

    RpcTopology(String requestQueue, String requestExchange, String notificationExchange, boolean quorumQueues) {
        this.requestQueue = requestQueue;
        this.requestExchange = requestExchange;
        this.notificationExchange = notificationExchange;
        this.quorumQueues = quorumQueues;
    }

    void declare(Channel channel) throws IOException {
        Map<String, Object> arguments = quorumQueues ? Map.of("x-queue-type", "quorum") : Map.of();
        channel.queueDeclare(requestQueue, true, false, false, arguments);
        channel.exchangeDeclare(requestExchange, BuiltinExchangeType.DIRECT, true);
        channel.queueBind(requestQueue, requestExchange, requestQueue);
        channel.exchangeDeclare(notificationExchange, BuiltinExchangeType.TOPIC, true);
    }

    String requestQueue() {
        return requestQueue;
    }
}
