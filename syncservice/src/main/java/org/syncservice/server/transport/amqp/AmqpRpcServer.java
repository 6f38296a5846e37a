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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.syncservice.server.config.AmqpConfig;
import org.syncservice.server.core.DaemonThreads;
import org.syncservice.server.core.Lifecycle;
import org.syncservice.server.rpc.IncomingRequest;
import org.syncservice.server.rpc.RequestProcessor;
import org.syncservice.server.rpc.RpcOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves RPCs from the request queue: each of {@code amqp.consumers} channels consumes with
 * manual acknowledgements, a prefetch of {@code amqp.prefetch} and the instance's consumer priority
 * ({@code amqp.consumer-priority}), and has a worker thread of its own. The worker takes every
 * delivery waiting on its channel at once (at most the prefetch) and hands them to the
 * {@link RequestProcessor} together, so that requests it serves together (commits of different
 * workspaces, in one database transaction) can be; where each is served is the processor's
 * business. Each delivery is one {@link IncomingRequest}, answered once, on whichever thread
 * served it, on its own reply_to with its correlation_id.
 *
 * <p>A delivery is acknowledged only after its reply was published, so a crash before that means
 * a redelivery (which the stored answers make harmless). The answered deliveries at the head of a
 * channel go out as one multiple ack; one answered behind a delivery still being served is
 * acknowledged on its own ({@link AckWindow}). Answers given on the worker while it hands a group
 * in are acknowledged together when the processor returns. Every delivery is acknowledged once
 * answered, bad input included: nothing is requeued for ever.
 *
 * <p>Thread-safety: {@link #start()} and {@link #close()} are called by one thread; the client
 * library's dispatch thread only queues deliveries; answers publish and acknowledge on a channel
 * under the channel's lock.
 */
public final class AmqpRpcServer implements Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(AmqpRpcServer.class);
    static final String CONTENT_TYPE = "application/x-protobuf";
    static final String RESPONSE_TYPE = "syncservice.v1.Response";
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WORKER_POLL = Duration.ofMillis(100);
    private static final String PRIORITY_ARGUMENT = "x-priority";

    private final AmqpConnector connector;
    private final AmqpConfig config;
    private final RpcTopology topology;
    private final RequestProcessor processor;
    private final String instanceName;
    private final int priority;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Channel> channels = new ArrayList<>();
    private final List<String> consumerTags = new ArrayList<>();
    private final AtomicInteger cancelledConsumers = new AtomicInteger();
    private volatile boolean closing;
    /** Set once in-flight requests are done: the workers stop. */
    private volatile boolean stopped;
    private ExecutorService executor;
    private Connection connection;

    public AmqpRpcServer(AmqpConnector connector, AmqpConfig config, RequestProcessor processor, String instanceName) {
        this.connector = connector;
        this.config = config;
        this.topology = new RpcTopology(config);
        this.processor = processor;
        this.instanceName = instanceName;
        this.priority = config.consumerPriority()
                .orElseGet(() -> ThreadLocalRandom.current().nextInt(AmqpConfig.MAX_CONSUMER_PRIORITY));
    }

    @Override
    public void start() throws Exception {
        executor = Executors.newFixedThreadPool(config.consumers(), DaemonThreads.named("rpc-"));
        connection = connector.open(instanceName, null);
        try (Channel setup = connection.createChannel()) {
            topology.declare(setup);
        }
        for (int i = 0; i < config.consumers(); i++) {
            Channel channel = connection.createChannel();
            channel.basicQos(config.prefetch());
            RequestConsumer consumer = new RequestConsumer(channel);
            channels.add(channel);
            executor.execute(consumer::work);
            consumerTags.add(consume(channel, consumer));
        }
        log.info("consuming {} with priority {} ({} consumer(s), prefetch {} each)", topology.requestQueue(),
                priority, config.consumers(), config.prefetch());
    }

    /**
     * Consumes the request queue with this instance's priority: the broker gives requests to the
     * highest-priority consumers that have prefetch room, so instances of distinct priorities fill
     * one after the other rather than splitting every load into groups half as large.
     */
    private String consume(Channel channel, RequestConsumer consumer) throws IOException {
        return channel.basicConsume(topology.requestQueue(), false, Map.of(PRIORITY_ARGUMENT, priority), consumer);
    }

    /**
     * Re-declares the request queue and consumes it again on the channel whose consumer the broker
     * cancelled (the queue was deleted, or a quorum queue lost its leader). Retries every recovery
     * interval until it works or the server closes.
     */
    private void resumeConsuming(Channel channel, int index, RequestConsumer consumer) {
        Thread retry = new Thread(() -> {
            while (!closing) {
                try {
                    TimeUnit.MILLISECONDS.sleep(config.recoveryInterval().toMillis());
                    topology.declare(channel);
                    String tag = consume(channel, consumer);
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
        stopped = true;
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
        private final BlockingQueue<Delivery> waiting = new LinkedBlockingQueue<>();
        /** Guards publishing and acknowledging on the channel, which answering threads share. */
        private final Object publishing = new Object();
        private final AckWindow acks = new AckWindow();
        /** The worker, while it hands a group to the processor: its answers are acknowledged after. */
        private volatile Thread handingIn;

        RequestConsumer(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                   byte[] body) {
            inFlight.incrementAndGet();
            acks.received(envelope.getDeliveryTag());
            waiting.add(new Delivery(this, envelope, properties, body));
        }

        /** The channel's worker: hands in what is waiting, group by group, until the server stops. */
        void work() {
            List<Delivery> group = new ArrayList<>();
            while (!stopped) {
                try {
                    Delivery first = waiting.poll(WORKER_POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    group.add(first);
                    waiting.drainTo(group);
                    handIn(group);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    // The processor answers every request and never throws; should it, the worker goes on.
                    log.error("handing in {} requests failed", group.size(), e);
                } finally {
                    group.clear();
                }
            }
        }

        private void handIn(List<Delivery> group) {
            List<Delivery> answerable = new ArrayList<>(group.size());
            handingIn = Thread.currentThread();
            try {
                for (Delivery delivery : group) {
                    String replyTo = delivery.properties().getReplyTo();
                    if (replyTo == null || replyTo.isEmpty()) {
                        // No one to answer: acknowledged so it does not come back; said once.
                        log.warn("dropped a request without reply_to ({} bytes, correlation_id {})",
                                delivery.body().length, delivery.properties().getCorrelationId());
                        delivery.answer(null);
                    } else {
                        answerable.add(delivery);
                    }
                }
                processor.accept(answerable);
            } finally {
                handingIn = null;
                synchronized (publishing) {
                    sendAcks();
                }
            }
        }

        /** Publishes a delivery's reply (none for {@code null}) and acknowledges what is due. */
        void answer(Delivery delivery, RpcOutcome outcome) {
            try {
                synchronized (publishing) {
                    try {
                        if (outcome != null) {
                            publishReply(delivery, outcome);
                        }
                    } finally {
                        // Replies first, acknowledgement second: the broker keeps the order on one
                        // channel, and a crash in between redelivers the request rather than losing
                        // its answer. A reply that could not be published means the channel is gone,
                        // and its acks with it: the broker redelivers the request.
                        acks.answered(delivery.envelope().getDeliveryTag());
                        if (handingIn != Thread.currentThread()) {
                            sendAcks();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // The channel is gone (its connection recovers it, and the broker redelivers what
                // was not acknowledged) or the client library refused the call.
                log.warn("answering a request failed: {}", e.toString());
            } finally {
                inFlight.decrementAndGet();
            }
        }

        /** Sends the acks due; the caller holds {@link #publishing}. */
        private void sendAcks() {
            AckWindow.Acks due = acks.take();
            if (due.isEmpty()) {
                return;
            }
            try {
                if (due.upTo() > 0) {
                    getChannel().basicAck(due.upTo(), true);
                }
                for (long tag : due.singles()) {
                    getChannel().basicAck(tag, false);
                }
            } catch (IOException | RuntimeException e) {
                log.warn("acknowledging requests failed: {}", e.toString());
            }
        }

        private void publishReply(Delivery delivery, RpcOutcome outcome) throws IOException {
            AMQP.BasicProperties properties = delivery.properties();
            AMQP.BasicProperties replyProperties = new AMQP.BasicProperties.Builder()
                    .correlationId(properties.getCorrelationId())
                    .contentType(CONTENT_TYPE)
                    .type(RESPONSE_TYPE)
                    .deliveryMode(1)
                    .build();
            getChannel().basicPublish("", properties.getReplyTo(), false, replyProperties,
                    outcome.response().toByteArray());
        }

        @Override
        public void handleCancel(String consumerTag) {
            log.error("the broker cancelled consumer {} of queue {} (was the queue deleted?); resuming",
                    consumerTag, topology.requestQueue());
            cancelledConsumers.incrementAndGet();
            resumeConsuming(getChannel(), channels.indexOf(getChannel()), this);
        }
    }

    /** One delivery of a channel: a request, answered once through its consumer. */
    private static final class Delivery implements IncomingRequest {
        private final RequestConsumer consumer;
        private final Envelope envelope;
        private final AMQP.BasicProperties properties;
        private final byte[] body;
        private final AtomicBoolean answered = new AtomicBoolean();

        Delivery(RequestConsumer consumer, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            this.consumer = consumer;
            this.envelope = envelope;
            this.properties = properties;
            this.body = body;
        }

        Envelope envelope() {
            return envelope;
        }

        AMQP.BasicProperties properties() {
            return properties;
        }

        @Override
        public byte[] body() {
            return body;
        }

        @Override
        public String publisher() {
            return properties.getUserId();
        }

        @Override
        public void answer(RpcOutcome outcome) {
            if (!answered.compareAndSet(false, true)) {
                throw new IllegalStateException("delivery " + envelope.getDeliveryTag() + " was answered already");
            }
            consumer.answer(this, outcome);
        }
    }
}
