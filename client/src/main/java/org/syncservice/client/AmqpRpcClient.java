package org.syncservice.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.recovery.AutorecoveringConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RpcClient} over one auto-recovering AMQP connection with one channel, used both to publish
 * requests and to consume the server-named reply queue. Thread-safe: publishing is serialized on
 * the channel (channels must not be used for publishing by several threads at once), and pending
 * calls live in a concurrent map keyed by correlation id.
 */
final class AmqpRpcClient implements RpcClient {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpRpcClient.class);

    static final String CONTENT_TYPE = "application/x-protobuf";
    static final String REQUEST_TYPE = "syncservice.v1.Request";
    /**
     * Requests are not written to the broker's disk: a broker restart loses this client's reply
     * queue (exclusive, server-named) with it, so a request that survived would be answered to no
     * one; the caller's retry with the same request id is what carries a request across a restart.
     */
    private static final int TRANSIENT = 1;
    /** RabbitMQ's direct reply-to: replies without a queue of the client's, and no permission needed. */
    static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

    /**
     * Where requests go and replies come from.
     *
     * @param exchange the exchange requests are published to ("" for the default exchange)
     * @param directReplyTo replies over {@value #DIRECT_REPLY_TO} rather than a server-named queue of
     *     the client's: what a broker identity that may declare nothing uses
     * @param userId the AMQP user_id requests carry (the connection's broker user, which the broker
     *     checks), or null for none
     */
    record Route(String exchange, boolean directReplyTo, String userId) {
        /** Today's route for a broker user that may declare queues: the default exchange, a reply queue. */
        static final Route DEFAULT = new Route("", false, null);
    }

    private final Route route;
    private final String requestQueue;
    private final boolean requestExpiration;
    private final Connection connection;
    private final Channel channel;
    private final ScheduledExecutorService timer;
    private final Map<String, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private final Object publishLock = new Object();
    // Correlation ids only pair replies on this client's exclusive reply queue, so a per-client
    // random prefix plus a counter is unique enough and cheaper than a UUID per call.
    private final String correlationPrefix = UUID.randomUUID().toString().substring(0, 8) + '-';
    private final AtomicLong sequence = new AtomicLong();

    private volatile String replyQueue;
    // False from a connection loss until recovery (including the reply queue) has completed, so
    // calls fail fast instead of publishing with a reply_to that no longer exists.
    private volatile boolean available;
    private volatile boolean closed;

    private AmqpRpcClient(Route route, String requestQueue, boolean requestExpiration, Connection connection,
            Channel channel, ScheduledExecutorService timer) {
        this.route = route;
        this.requestQueue = requestQueue;
        this.requestExpiration = requestExpiration;
        this.connection = connection;
        this.channel = channel;
        this.timer = timer;
    }

    static AmqpRpcClient connect(SyncClientOptions options) {
        return connect(options, options.connectionName(), BrokerLogin.of(options.username(), options.password()),
                Route.DEFAULT);
    }

    /**
     * @param name the connection's name at the broker
     * @param login the broker identity to log in as
     * @param route where requests go and replies come from
     */
    static AmqpRpcClient connect(SyncClientOptions options, String name, BrokerLogin login, Route route) {
        Connection connection = BrokerConnections.open(options, login, name, true, null);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "syncservice-client-timeouts[" + name + ']');
            t.setDaemon(true);
            return t;
        });
        // Most calls are answered long before their timeout; drop cancelled timers at once.
        timer.setRemoveOnCancelPolicy(true);
        try {
            Channel channel = connection.createChannel();
            AmqpRpcClient client = new AmqpRpcClient(route, options.requestQueue(), options.requestExpiration(),
                    connection, channel, timer);
            client.start();
            LOG.info("Connected to {}:{} as '{}', request queue '{}' (exchange '{}'), reply queue '{}'",
                    options.host(), options.port(), name, options.requestQueue(), route.exchange(),
                    client.replyQueue);
            return client;
        } catch (IOException | RuntimeException e) {
            timer.shutdownNow();
            try {
                connection.abort();
            } catch (RuntimeException ignored) {
                // Already failing; the original error is the one to report.
            }
            if (e instanceof SyncServiceException sse) {
                throw sse;
            }
            throw SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE,
                    "cannot set up the reply queue", e);
        }
    }

    private void start() throws IOException {
        // Server-named, exclusive, auto-delete, non-durable: one private reply queue per connection;
        // or direct reply-to, which must be consumed on the publishing channel before the first publish.
        replyQueue = route.directReplyTo() ? DIRECT_REPLY_TO : channel.queueDeclare().getQueue();
        channel.addReturnListener(this::onReturn);
        channel.addShutdownListener(this::onShutdown);
        if (connection instanceof AutorecoveringConnection recovering) {
            // Topology recovery re-declares the server-named queue under a NEW name and moves our
            // consumer to it; follow the rename so later requests carry the right reply_to.
            recovering.addQueueRecoveryListener((oldName, newName) -> {
                if (oldName.equals(replyQueue)) {
                    LOG.info("Reply queue recovered as '{}' (was '{}')", newName, oldName);
                    replyQueue = newName;
                }
            });
            recovering.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recoverable) {
                    // Called after channels and topology are recovered.
                    available = true;
                    LOG.info("Connection recovered; reply queue '{}'", replyQueue);
                }

                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                    // Nothing to do: calls already fail fast while unavailable.
                }
            });
        }
        channel.basicConsume(replyQueue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope,
                    AMQP.BasicProperties properties, byte[] body) {
                onReply(properties, body);
            }
        });
        available = true;
    }

    @Override
    public CompletableFuture<Response> call(Request request, Duration timeout) {
        if (request.getOperationCase() == Request.OperationCase.OPERATION_NOT_SET) {
            throw new IllegalArgumentException("request: no operation set");
        }
        if (closed) {
            return failed(ErrorCode.ERROR_CODE_UNAVAILABLE, "the client is closed", null);
        }
        if (!available) {
            return failed(ErrorCode.ERROR_CODE_UNAVAILABLE,
                    "the connection to the broker is down; recovery in progress", null);
        }
        long timeoutMs = timeout == null ? 0 : Math.max(1, timeout.toMillis());
        Request.Builder builder = request.toBuilder();
        if (builder.getRequestId().isEmpty()) {
            builder.setRequestId(UUID.randomUUID().toString());
        }
        if (timeoutMs > 0) {
            builder.setDeadlineMs(System.currentTimeMillis() + timeoutMs);
        }
        byte[] body = builder.build().toByteArray();

        String correlationId = correlationPrefix + sequence.incrementAndGet();
        CompletableFuture<Response> future = new CompletableFuture<>();
        pending.put(correlationId, future);
        if (timeoutMs > 0) {
            ScheduledFuture<?> timeoutTask = timer.schedule(() -> {
                if (pending.remove(correlationId, future)) {
                    future.completeExceptionally(SyncServiceException.local(
                            ErrorCode.ERROR_CODE_DEADLINE_EXCEEDED,
                            "no reply from the service within " + timeoutMs + " ms", null));
                }
            }, timeoutMs, TimeUnit.MILLISECONDS);
            // However the call ends (reply, failure, caller's cancel), forget it and its timer.
            future.whenComplete((r, e) -> {
                timeoutTask.cancel(false);
                pending.remove(correlationId, future);
            });
        } else {
            future.whenComplete((r, e) -> pending.remove(correlationId, future));
        }

        try {
            synchronized (publishLock) {
                AMQP.BasicProperties.Builder props = new AMQP.BasicProperties.Builder()
                        .replyTo(replyQueue)
                        .correlationId(correlationId)
                        .contentType(CONTENT_TYPE)
                        .type(REQUEST_TYPE)
                        .deliveryMode(TRANSIENT);
                if (route.userId() != null) {
                    props.userId(route.userId());
                }
                if (timeoutMs > 0 && requestExpiration) {
                    props.expiration(Long.toString(timeoutMs));
                }
                channel.basicPublish(route.exchange(), requestQueue, true, props.build(), body);
            }
        } catch (IOException | AlreadyClosedException e) {
            future.completeExceptionally(SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE,
                    "cannot publish the request: " + e.getMessage(), e));
        }
        return future;
    }

    private void onReply(AMQP.BasicProperties properties, byte[] body) {
        String correlationId = properties.getCorrelationId();
        CompletableFuture<Response> future = correlationId == null ? null : pending.remove(correlationId);
        if (future == null) {
            // A reply after its call timed out, or not meant for us: harmless, nobody waits for it.
            LOG.debug("Dropping reply with unknown or expired correlation id {}", correlationId);
            return;
        }
        try {
            future.complete(Response.parseFrom(body));
        } catch (InvalidProtocolBufferException e) {
            future.completeExceptionally(SyncServiceException.local(ErrorCode.ERROR_CODE_INTERNAL,
                    "the service's reply cannot be decoded", e));
        }
    }

    private void onReturn(int replyCode, String replyText, String exchange, String routingKey,
            AMQP.BasicProperties properties, byte[] body) {
        String correlationId = properties.getCorrelationId();
        CompletableFuture<Response> future = correlationId == null ? null : pending.remove(correlationId);
        if (future == null) {
            LOG.debug("Dropping returned request with unknown correlation id {}", correlationId);
            return;
        }
        future.completeExceptionally(SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE,
                "the request queue '" + routingKey + "' does not exist (" + replyCode + ' ' + replyText
                        + "): is the service running?", null));
    }

    private void onShutdown(ShutdownSignalException cause) {
        if (closed || cause.isInitiatedByApplication()) {
            return;
        }
        available = false;
        LOG.warn("Connection to the broker lost ({}); failing {} call(s) in flight and recovering",
                cause.getMessage(), pending.size());
        // Replies to these calls can never arrive: the reply queue went away with the connection.
        failAll("the connection to the broker was lost; retry with the same request id", cause);
    }

    private void failAll(String message, Throwable cause) {
        for (String correlationId : pending.keySet()) {
            CompletableFuture<Response> future = pending.remove(correlationId);
            if (future != null) {
                future.completeExceptionally(
                        SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE, message, cause));
            }
        }
    }

    private CompletableFuture<Response> failed(ErrorCode code, String message, Throwable cause) {
        return CompletableFuture.failedFuture(SyncServiceException.local(code, message, cause));
    }

    @Override
    public String replyQueue() {
        return replyQueue;
    }

    /** The connection name the broker shows for this client; for tests. */
    String connectionNameForTests() {
        return connection.getClientProvidedName();
    }

    /** The number of calls waiting for a reply; for tests and diagnostics. */
    int pendingCalls() {
        return pending.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        available = false;
        failAll("the client was closed", null);
        try {
            connection.close();
        } catch (IOException | AlreadyClosedException e) {
            LOG.debug("Connection already closed", e);
        } finally {
            timer.shutdownNow();
        }
    }
}
