package org.syncservice.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.syncservice.protocol.v1.AcknowledgeChangesRequest;
import org.syncservice.protocol.v1.CommitNotification;
import org.syncservice.protocol.v1.DeviceRevoked;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.protocol.v1.SubscribeNotificationsResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an application up to date with the workspaces it tracks: subscribes the device to its
 * notifications ({@code subscribe_notifications}), consumes its queue, and hands the changes to a
 * {@link NotificationHandler} in change sequence order per workspace, each change sequence number
 * once.
 *
 * <p>Per workspace the listener keeps a {@link SyncPosition}: the {@code get_changes} cursor and
 * the highest change sequence number seen. A notification with the next number is handed over as
 * it is. A higher number (a notification was dropped, the queue overflowed or expired), a commit
 * too large to carry its items, a reconnect, or the start, make it catch up with
 * {@code get_changes} from the cursor instead; items the application already saw (by their change
 * sequence number) are left out, and notifications it already covered are skipped when they come.
 * It reports the reached number with {@code acknowledge_changes}, so operators see lagging
 * devices: at most once per {@link #ACK_INTERVAL} per workspace (the first progress at once, later
 * progress at the end of the interval, the last on close), since a call per notification would
 * double the service's load for a number only operators read. When a catch-up fails (service unavailable, or the handler threw) it is retried
 * with backoff; the handler may then see the changes it failed on again.
 *
 * <p>The listener uses a broker connection of its own (the same options as the client, or the
 * per-user broker credentials the operator issued) and the given {@link SyncClient} for the calls.
 * When the connection comes back after a failure, or the broker cancels the consumer (the queue
 * expired), it subscribes again and catches up every workspace.
 *
 * <p>Thread-safety: all work happens on one dispatch thread; {@link #position}, {@link #track} and
 * {@link #close} may be called from any thread.
 */
public final class NotificationListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
    static final int PREFETCH = 100;
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
    static final Duration ACK_INTERVAL = Duration.ofSeconds(2);
    static final int SETTLE_BATCH = PREFETCH / 2;
    static final Duration SETTLE_DELAY = Duration.ofMillis(100);

    private final SyncClient client;
    private final String deviceId;
    private final NotificationHandler handler;
    private final Connection connection;
    private final Channel channel;
    private final ScheduledExecutorService dispatcher;
    /** Touched only on the dispatch thread. */
    private final Map<String, SyncPosition> positions = new HashMap<>();
    /** Copies for readers on other threads. */
    private final Map<String, SyncPosition> published = new ConcurrentHashMap<>();
    private final Map<String, Duration> retryDelays = new HashMap<>();
    /** Touched only on the dispatch thread: the number last reported per workspace, and when. */
    private final Map<String, Long> acknowledged = new HashMap<>();
    private final Map<String, Long> acknowledgedAt = new HashMap<>();
    private final java.util.Set<String> acknowledgeScheduled = new java.util.HashSet<>();
    private volatile boolean closed;
    private boolean revoked;
    private String consumerTag;
    /** Touched only on the dispatch thread: handled notifications not yet acknowledged to the broker. */
    private long lastHandledTag;
    private int unsettled;
    private boolean settleScheduled;

    private NotificationListener(SyncClient client, String deviceId, NotificationHandler handler,
                                 Connection connection, Channel channel, ScheduledExecutorService dispatcher) {
        this.client = client;
        this.deviceId = deviceId;
        this.handler = handler;
        this.connection = connection;
        this.channel = channel;
        this.dispatcher = dispatcher;
    }

    /**
     * Subscribes, starts consuming and catches up every workspace given; returns once that first
     * catch-up is done.
     *
     * @param client a logged-in client of this device, used for the calls
     * @param broker where to consume (host, port, virtual host and the broker user of this device)
     * @param deviceId this device's id, to recognise its own commits
     * @param workspaces the workspaces to track and where each was left ({@link SyncPosition#START} for new ones)
     * @param handler receives the changes
     * @return the running listener; close it when done
     * @throws SyncServiceException when the broker cannot be reached or a call fails
     */
    public static NotificationListener start(SyncClient client, SyncClientOptions broker, String deviceId,
                                             Map<String, SyncPosition> workspaces, NotificationHandler handler) {
        ScheduledExecutorService dispatcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "syncservice-notifications[" + deviceId + ']');
            t.setDaemon(true);
            return t;
        });
        Connection connection;
        try {
            connection = connect(broker, dispatcher);
        } catch (RuntimeException e) {
            dispatcher.shutdownNow();
            throw e;
        }
        NotificationListener listener;
        try {
            Channel channel = connection.createChannel();
            channel.basicQos(PREFETCH);
            listener = new NotificationListener(client, deviceId, handler, connection, channel, dispatcher);
        } catch (IOException | RuntimeException e) {
            dispatcher.shutdownNow();
            connection.abort();
            throw SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE, "cannot open a channel", e);
        }
        try {
            dispatcher.submit(() -> {
                listener.positions.putAll(workspaces);
                listener.published.putAll(workspaces);
                listener.subscribe();
                for (String workspaceId : workspaces.keySet()) {
                    listener.catchUp(workspaceId);
                }
                return null;
            }).get();
        } catch (ExecutionException | InterruptedException e) {
            listener.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof SyncServiceException sse) {
                throw sse;
            }
            throw SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE, "cannot start listening", cause);
        }
        ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable recoverable) {
                listener.dispatch(listener::resubscribe);
            }

            @Override
            public void handleRecoveryStarted(Recoverable recoverable) {
                // Nothing to do until the connection is back.
            }
        });
        return listener;
    }

    /** Where the application stands in a tracked workspace; persist it to resume later. */
    public Optional<SyncPosition> position(String workspaceId) {
        return Optional.ofNullable(published.get(workspaceId));
    }

    /** Starts tracking another workspace (for example one just shared) from {@code position}. */
    public void track(String workspaceId, SyncPosition position) {
        dispatch(() -> {
            if (positions.putIfAbsent(workspaceId, position) == null) {
                published.put(workspaceId, position);
                subscribe();
                catchUp(workspaceId);
            }
        });
    }

    /** Stops consuming and closes the listener's broker connection; the client stays open. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            try {
                // Report the last progress and settle what was handled before stopping (best
                // effort, bounded by the wait).
                dispatcher.submit(() -> {
                    acknowledgeAll();
                    settleHandled();
                }).get(5, TimeUnit.SECONDS);
            } catch (RejectedExecutionException | ExecutionException
                     | java.util.concurrent.TimeoutException e) {
                LOG.debug("listener already stopping: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closed = true;
        // The connection first: it runs its consumers' last callbacks on the dispatch thread.
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing the notification connection failed: {}", e.toString());
        }
        dispatcher.shutdown();
        try {
            if (!dispatcher.awaitTermination(5, TimeUnit.SECONDS)) {
                dispatcher.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Connection connect(SyncClientOptions options, ScheduledExecutorService dispatcher) {
        // The consumer is not replayed blindly: the queue may be gone. handleRecovery subscribes again.
        // Deliveries are handled on the dispatch thread itself: no hand-over per notification.
        return BrokerConnections.open(options, options.connectionName() + "-notifications", false, dispatcher);
    }

    private void dispatch(Runnable task) {
        if (closed) {
            return;
        }
        try {
            dispatcher.execute(() -> {
                if (!closed && !revoked) {
                    task.run();
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Asks the service for the queue (binding it to the user's current workspaces) and consumes it. */
    private void subscribe() {
        SubscribeNotificationsResponse subscription = client.subscribeNotifications();
        if (consumerTag != null) {
            return;
        }
        try {
            consumerTag = channel.basicConsume(subscription.getQueue(), false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                           byte[] body) {
                    // Called on the dispatch thread (the connection's consumer executor).
                    if (!closed && !revoked) {
                        onDelivery(envelope.getDeliveryTag(), body);
                    }
                }

                @Override
                public void handleCancel(String tag) {
                    // The queue was deleted (expired, or this device was revoked): find out which.
                    dispatch(() -> {
                        consumerTag = null;
                        resubscribe();
                    });
                }
            });
        } catch (IOException e) {
            throw SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE, "cannot consume " + subscription.getQueue(), e);
        }
    }

    private void resubscribe() {
        consumerTag = null;
        try {
            subscribe();
        } catch (SyncServiceException e) {
            if (e.code() == ErrorCode.ERROR_CODE_UNAUTHENTICATED) {
                stopRevoked();
                return;
            }
            LOG.warn("subscribing to notifications failed ({}); retrying", e.toString());
            dispatcher.schedule(() -> dispatch(this::resubscribe), 2, TimeUnit.SECONDS);
            return;
        }
        // Whatever the queue missed while the connection was down is fetched.
        for (String workspaceId : new ArrayList<>(positions.keySet())) {
            catchUp(workspaceId);
        }
    }

    private void onDelivery(long deliveryTag, byte[] body) {
        try {
            Notification notification = Notification.parseFrom(body);
            switch (notification.getEventCase()) {
                case COMMIT -> onCommit(notification.getCommit());
                case WORKSPACE -> handler.onWorkspaceEvent(notification.getWorkspace());
                case DEVICE_REVOKED -> {
                    if (deviceId.equals(notification.getDeviceRevoked().getDeviceId())) {
                        stopRevoked();
                        return;
                    }
                }
                default -> LOG.debug("ignored notification {} of an unknown kind", notification.getNotificationId());
            }
        } catch (InvalidProtocolBufferException e) {
            LOG.warn("dropped a notification that does not parse: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("handling a notification failed ({}); catching up later", e.toString());
        }
        handled(deliveryTag);
    }

    /**
     * Settles handled notifications with one cumulative acknowledgement per {@link #SETTLE_BATCH}
     * notifications or {@link #SETTLE_DELAY}, whichever comes first, rather than one each: an
     * acknowledgement is a frame and broker work of its own. What is unsettled when the connection
     * drops comes again and is skipped as already seen.
     */
    private void handled(long deliveryTag) {
        lastHandledTag = deliveryTag;
        unsettled++;
        if (unsettled >= SETTLE_BATCH) {
            settleHandled();
        } else if (!settleScheduled) {
            try {
                dispatcher.schedule(() -> {
                    settleScheduled = false;
                    settleHandled();
                }, SETTLE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
                settleScheduled = true;
            } catch (RejectedExecutionException e) {
                // closing: the connection goes, and what was not settled comes again to the next listener
            }
        }
    }

    private void settleHandled() {
        if (unsettled == 0) {
            return;
        }
        unsettled = 0;
        try {
            channel.basicAck(lastHandledTag, true);
        } catch (IOException | RuntimeException e) {
            // After a reconnect the tag is stale (the channel ignores it); the messages come again
            // and are skipped as old.
            LOG.debug("acknowledging notifications failed: {}", e.toString());
        }
    }

    private void onCommit(CommitNotification commit) {
        String workspaceId = commit.getWorkspaceId();
        SyncPosition position = positions.get(workspaceId);
        if (position == null || commit.getChangeSeq() <= position.changeSeq()) {
            return; // not tracked, or already seen
        }
        if (commit.getChangeSeq() == position.changeSeq() + 1 && !commit.getItemsOmitted()) {
            handler.onChanges(new WorkspaceChanges(workspaceId, commit.getItemsList(), commit.getChangeSeq(),
                    Optional.of(commit), deviceId.equals(commit.getDeviceId())));
            advance(workspaceId, new SyncPosition(position.cursor(), commit.getChangeSeq()));
            return;
        }
        catchUp(workspaceId);
    }

    /** Fetches everything after the workspace's cursor and hands over what the application has not seen. */
    private void catchUp(String workspaceId) {
        SyncPosition position = positions.get(workspaceId);
        if (position == null) {
            return;
        }
        long seen = position.changeSeq();
        try {
            while (true) {
                GetChangesResponse page = client.getChanges(GetChangesRequest.newBuilder()
                        .setWorkspaceId(workspaceId).setCursor(position.cursor()).build());
                List<Item> fresh = new ArrayList<>();
                for (Item item : page.getItemsList()) {
                    if (item.getChangeSeq() > seen) {
                        fresh.add(item);
                    }
                }
                long reached = Math.max(seen, page.getChangeSeq());
                if (!fresh.isEmpty()) {
                    handler.onChanges(new WorkspaceChanges(workspaceId, fresh,
                            page.getHasMore() ? seen : reached, Optional.empty(), false));
                }
                // Mid-listing only the cursor moves; the number is reached with the last page.
                position = new SyncPosition(page.getNextCursor(), page.getHasMore() ? seen : reached);
                advance(workspaceId, position);
                if (!page.getHasMore()) {
                    retryDelays.remove(workspaceId);
                    return;
                }
            }
        } catch (RuntimeException e) {
            Duration delay = retryDelays.merge(workspaceId, Duration.ofMillis(500),
                    (old, min) -> old.multipliedBy(2).compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY
                            : old.multipliedBy(2));
            LOG.warn("catching up workspace {} failed ({}); retrying in {}", workspaceId, e.toString(), delay);
            dispatcher.schedule(() -> dispatch(() -> catchUp(workspaceId)), delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void advance(String workspaceId, SyncPosition position) {
        long before = positions.get(workspaceId).changeSeq();
        positions.put(workspaceId, position);
        published.put(workspaceId, position);
        if (position.changeSeq() > before) {
            acknowledgeSoon(workspaceId);
        }
    }

    /** Reports progress now if the last report is an interval old, else once the interval is over. */
    private void acknowledgeSoon(String workspaceId) {
        long now = System.nanoTime();
        Long last = acknowledgedAt.get(workspaceId);
        if (last == null || now - last >= ACK_INTERVAL.toNanos()) {
            acknowledge(workspaceId);
        } else if (acknowledgeScheduled.add(workspaceId)) {
            dispatcher.schedule(() -> dispatch(() -> {
                acknowledgeScheduled.remove(workspaceId);
                acknowledge(workspaceId);
            }), ACK_INTERVAL.toNanos() - (now - last), TimeUnit.NANOSECONDS);
        }
    }

    private void acknowledgeAll() {
        for (String workspaceId : positions.keySet()) {
            acknowledge(workspaceId);
        }
    }

    private void acknowledge(String workspaceId) {
        long reached = positions.get(workspaceId).changeSeq();
        if (reached <= acknowledged.getOrDefault(workspaceId, 0L)) {
            return;
        }
        acknowledgedAt.put(workspaceId, System.nanoTime());
        try {
            client.acknowledgeChanges(AcknowledgeChangesRequest.newBuilder()
                    .setWorkspaceId(workspaceId).setChangeSeq(reached).build());
            acknowledged.put(workspaceId, reached);
        } catch (SyncServiceException e) {
            // Only for operators' eyes; the next report carries a later number.
            LOG.debug("acknowledge_changes failed: {}", e.toString());
        }
    }

    private void stopRevoked() {
        if (revoked) {
            return;
        }
        revoked = true;
        try {
            if (consumerTag != null && channel.isOpen()) {
                channel.basicCancel(consumerTag);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cancelling the consumer failed: {}", e.toString());
        }
        handler.onDeviceRevoked(DeviceRevoked.newBuilder().setDeviceId(deviceId).build());
    }
}
