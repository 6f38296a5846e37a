package org.syncservice.server.transport.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.syncservice.server.config.AmqpConfig;
import org.syncservice.server.core.Lifecycle;
import org.syncservice.server.rpc.AdmittedRequests;
import org.syncservice.server.rpc.RequestProcessor;
import org.syncservice.server.rpc.RpcOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves RPCs from the request queue: each of {@code amqp.consumers} channels consumes with
 * manual acknowledgements, a prefetch of {@code amqp.prefetch} and the instance's consumer priority
 * ({@code amqp.consumer-priority}), and has a worker thread of its own. The worker takes every
 * delivery waiting on its channel at once (at most the prefetch) and has them answered together,
 * so that commits of different workspaces share one database transaction; each delivery is still
 * answered on its own reply_to with its correlation_id.
 * Requests of the operations served one at a time (get_changes, login, sharing...) go to a pool
 * of {@code amqp.other-request-threads} threads instead, so a slow one never holds up the commits
 * behind it, and each is acknowledged on its own once its reply was published.
 *
 * <p>A delivery is acknowledged only after its reply was published, so a crash before that means
 * a redelivery (which the stored answers make harmless). The worker acknowledges its group with
 * one multiple ack when no request of its channel is still being served by the pool (the multiple
 * ack would cover it), else delivery by delivery. Every delivery is acknowledged once answered,
 * bad input included: nothing is requeued for ever.
 *
 * <p>Thread-safety: {@link #start()} and {@link #close()} are called by one thread; the client
 * library's dispatch thread only queues deliveries; a channel's worker and the pool's threads
 * publish and acknowledge on it under the channel's lock.
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
    /** Serves the requests of operations served one at a time; never replaced once started. */
    private volatile ExecutorService others;
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
        executor = Executors.newFixedThreadPool(config.consumers(), daemonThreads("rpc-"));
        others = Executors.newFixedThreadPool(config.otherRequestThreads(), daemonThreads("rpc-other-"));
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

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger threads = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
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
        if (others != null) {
            others.shutdown();
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

    /** A delivery waiting for its channel's worker. */
    private record Delivery(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    }

    private final class RequestConsumer extends DefaultConsumer {
        private final BlockingQueue<Delivery> waiting = new LinkedBlockingQueue<>();
        /** Guards publishing and acknowledging on the channel, which the pool's threads share. */
        private final Object publishing = new Object();
        /** Deliveries of this channel that the pool has not answered and acknowledged yet. */
        private final AtomicInteger apartUnanswered = new AtomicInteger();

        RequestConsumer(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                   byte[] body) {
            inFlight.incrementAndGet();
            waiting.add(new Delivery(envelope, properties, body));
        }

        /** The channel's worker: serves what is waiting, group by group, until the server stops. */
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
                    serve(group);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (IOException | RuntimeException e) {
                    // The channel is gone (its connection recovers it, and the broker redelivers
                    // what was not acknowledged) or the client library refused the call.
                    log.warn("answering {} requests failed: {}", group.size(), e.toString());
                } finally {
                    inFlight.addAndGet(-group.size());
                    group.clear();
                }
            }
        }

        private void serve(List<Delivery> group) throws IOException {
            List<Delivery> answerable = new ArrayList<>(group.size());
            List<byte[]> bodies = new ArrayList<>(group.size());
            List<String> publishers = new ArrayList<>(group.size());
            for (Delivery delivery : group) {
                String replyTo = delivery.properties().getReplyTo();
                if (replyTo == null || replyTo.isEmpty()) {
                    // No one to answer: acknowledged with the group so it does not come back; said once.
                    log.warn("dropped a request without reply_to ({} bytes, correlation_id {})",
                            delivery.body().length, delivery.properties().getCorrelationId());
                } else {
                    answerable.add(delivery);
                    bodies.add(delivery.body());
                    publishers.add(delivery.properties().getUserId());
                }
            }
            AdmittedRequests admitted = processor.admitAll(bodies, publishers);
            Set<Delivery> apart = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int position : admitted.apart()) {
                Delivery delivery = answerable.get(position);
                apart.add(delivery);
                handOver(() -> answerApart(admitted, position, delivery));
            }
            RpcOutcome[] outcomes = admitted.serveTogether();
            synchronized (publishing) {
                for (int i = 0; i < outcomes.length; i++) {
                    if (outcomes[i] != null) {
                        publishReply(answerable.get(i), outcomes[i]);
                    }
                }
                // Replies first, acknowledgement second: the broker keeps the order on one channel, and
                // a crash in between redelivers the requests rather than losing their answers.
                acknowledgeServed(group, apart);
            }
        }

        /**
         * Acknowledges the group's deliveries that were not handed to the pool (which acknowledges
         * its own). Deliveries of a channel are served in order, so unless the pool still serves one
         * of them, one multiple ack up to the last of them covers exactly these and what the pool
         * already acknowledged; an ack must not name a delivery the pool acknowledged already.
         */
        private void acknowledgeServed(List<Delivery> group, Set<Delivery> apart) throws IOException {
            Delivery last = null;
            for (Delivery delivery : group) {
                if (!apart.contains(delivery)) {
                    last = delivery;
                }
            }
            if (last == null) {
                return;
            }
            if (apartUnanswered.get() == 0) {
                getChannel().basicAck(last.envelope().getDeliveryTag(), true);
                return;
            }
            for (Delivery delivery : group) {
                if (!apart.contains(delivery)) {
                    getChannel().basicAck(delivery.envelope().getDeliveryTag(), false);
                }
            }
        }

        /** Has the pool serve a request apart; on this thread if the pool is shut down already. */
        private void handOver(Runnable answer) {
            apartUnanswered.incrementAndGet();
            inFlight.incrementAndGet();
            try {
                others.execute(answer);
            } catch (RejectedExecutionException e) {
                answer.run();
            }
        }

        private void answerApart(AdmittedRequests admitted, int position, Delivery delivery) {
            try {
                RpcOutcome outcome = admitted.serveApart(position);
                synchronized (publishing) {
                    publishReply(delivery, outcome);
                    getChannel().basicAck(delivery.envelope().getDeliveryTag(), false);
                }
            } catch (IOException | RuntimeException e) {
                // As for a group: the channel is gone and the broker redelivers the request.
                log.warn("answering a request failed: {}", e.toString());
            } finally {
                apartUnanswered.decrementAndGet();
                inFlight.decrementAndGet();
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
}
