package org.syncservice.server.transport.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.syncservice.server.config.AmqpConfig;
import org.syncservice.server.core.Lifecycle;
import org.syncservice.server.rpc.RequestProcessor;
import org.syncservice.server.rpc.RpcOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves RPCs from the request queue: each of {@code amqp.consumers} channels consumes with
 * manual acknowledgements and a prefetch of {@code amqp.prefetch}; each delivery is answered on
 * its reply_to with its correlation_id, and acknowledged only after the reply was published, so a
 * crash before that means a redelivery (which the stored answers make harmless). Every delivery
 * is acknowledged once answered, bad input included: nothing is requeued for ever.
 *
 * <p>Thread-safety: {@link #start()} and {@link #close()} are called by one thread; deliveries run
 * on the consumer executor, one at a time per channel.
 */
public final class AmqpRpcServer implements Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(AmqpRpcServer.class);
    static final String CONTENT_TYPE = "application/x-protobuf";
    static final String RESPONSE_TYPE = "syncservice.v1.Response";
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final AmqpConnector connector;
    private final AmqpConfig config;
    private final RpcTopology topology;
    private final RequestProcessor processor;
    private final String instanceName;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Channel> channels = new ArrayList<>();
    private final List<String> consumerTags = new ArrayList<>();
    private final AtomicInteger cancelledConsumers = new AtomicInteger();
    private volatile boolean closing;
    private ExecutorService executor;
    private Connection connection;

    public AmqpRpcServer(AmqpConnector connector, AmqpConfig config, RequestProcessor processor, String instanceName) {
        this.connector = connector;
        this.config = config;
        this.topology = new RpcTopology(config);
        this.processor = processor;
        this.instanceName = instanceName;
    }

    @Override
    public void start() throws Exception {
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(config.consumers(), runnable -> {
            Thread thread = new Thread(runnable, "rpc-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        connection = connector.open(instanceName, executor);
        try (Channel setup = connection.createChannel()) {
            topology.declare(setup);
        }
        for (int i = 0; i < config.consumers(); i++) {
            Channel channel = connection.createChannel();
            channel.basicQos(config.prefetch());
            channels.add(channel);
            consumerTags.add(channel.basicConsume(topology.requestQueue(), false, new RequestConsumer(channel)));
        }
    }

    /**
     * Re-declares the request queue and consumes it again on the channel whose consumer the broker
     * cancelled (the queue was deleted, or a quorum queue lost its leader). Retries every recovery
     * interval until it works or the server closes.
     */
    private void resumeConsuming(Channel channel, int index) {
        Thread retry = new Thread(() -> {
            while (!closing) {
                try {
                    TimeUnit.MILLISECONDS.sleep(config.recoveryInterval().toMillis());
                    topology.declare(channel);
                    String tag = channel.basicConsume(topology.requestQueue(), false, new RequestConsumer(channel));
                    synchronized (consumerTags) {
                        consumerTags.set(index, tag);
                    }
                    cancelledConsumers.decrementAndGet();
                    log.info("consuming queue {} again", topology.requestQueue());
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (IOException | RuntimeException e) {
                    log.warn("cannot consume queue {} yet: {}", topology.requestQueue(), e.toString());
                }
            }
        }, "rpc-resume-" + index);
        retry.setDaemon(true);
        retry.start();
    }

    @Override
    public boolean isHealthy() {
        return connection != null && connection.isOpen() && cancelledConsumers.get() == 0;
    }

    /** Stops taking requests, lets the ones in progress finish (bounded), then closes the connection. */
    @Override
    public void close() {
        closing = true;
        for (int i = 0; i < consumerTags.size(); i++) {
            try {
                channels.get(i).basicCancel(consumerTags.get(i));
            } catch (IOException | RuntimeException e) {
                log.debug("cancelling consumer {} failed: {}", consumerTags.get(i), e.toString());
            }
        }
        consumerTags.clear();
        awaitInFlight();
        if (connection != null) {
            try {
                // Unacknowledged prefetched requests go back to the queue for another instance.
                connection.close((int) DRAIN_TIMEOUT.toMillis());
            } catch (IOException | RuntimeException e) {
                log.debug("closing the broker connection failed: {}", e.toString());
            }
            connection = null;
        }
        channels.clear();
        if (executor != null) {
            executor.shutdown();
            executor = null;
        }
    }

    private void awaitInFlight() {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (inFlight.get() > 0) {
            log.warn("{} requests still in progress after {}; they will be redelivered", inFlight.get(), DRAIN_TIMEOUT);
        }
    }

    private final class RequestConsumer extends DefaultConsumer {

        RequestConsumer(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                   byte[] body) throws IOException {
            inFlight.incrementAndGet();
            try {
                serve(envelope, properties, body);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        private void serve(Envelope envelope, AMQP.BasicProperties properties, byte[] body) throws IOException {
            String replyTo = properties.getReplyTo();
            if (replyTo == null || replyTo.isEmpty()) {
                // No one to answer: acknowledge so it does not come back, and say so once.
                log.warn("dropped a request without reply_to ({} bytes, correlation_id {})",
                        body.length, properties.getCorrelationId());
                getChannel().basicAck(envelope.getDeliveryTag(), false);
                return;
            }
            RpcOutcome outcome = processor.process(body);
            AMQP.BasicProperties replyProperties = new AMQP.BasicProperties.Builder()
                    .correlationId(properties.getCorrelationId())
                    .contentType(CONTENT_TYPE)
                    .type(RESPONSE_TYPE)
                    .deliveryMode(1)
                    .build();
            // Reply first, acknowledge second: the broker keeps the order on one channel, and a crash
            // in between redelivers the request rather than losing its answer.
            getChannel().basicPublish("", replyTo, false, replyProperties, outcome.response().toByteArray());
            getChannel().basicAck(envelope.getDeliveryTag(), false);
        }

        @Override
        public void handleCancel(String consumerTag) {
            log.error("the broker cancelled consumer {} of queue {} (was the queue deleted?); resuming",
                    consumerTag, topology.requestQueue());
            cancelledConsumers.incrementAndGet();
            resumeConsuming(getChannel(), channels.indexOf(getChannel()));
        }
    }
}
