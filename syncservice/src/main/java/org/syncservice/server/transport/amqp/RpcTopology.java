package org.syncservice.server.transport.amqp;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;
import org.syncservice.server.config.AmqpConfig;

/**
 * The broker objects the service owns: the durable request queue every instance consumes (a
 * quorum queue when configured) and the durable topic exchange notifications go to. Declaring
 * them is idempotent, so every instance declares them at start.
 */
final class RpcTopology {
    private final String requestQueue;
    private final String notificationExchange;
    private final boolean quorumQueues;

    RpcTopology(AmqpConfig config) {
        this.requestQueue = config.requestQueue();
        this.notificationExchange = config.notificationExchange();
        this.quorumQueues = config.quorumQueues();
    }

    void declare(Channel channel) throws IOException {
        Map<String, Object> arguments = quorumQueues ? Map.of("x-queue-type", "quorum") : Map.of();
        channel.queueDeclare(requestQueue, true, false, false, arguments);
        channel.exchangeDeclare(notificationExchange, BuiltinExchangeType.TOPIC, true);
    }

    String requestQueue() {
        return requestQueue;
    }
}
