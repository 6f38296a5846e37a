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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.syncservice.protocol.v1.AcknowledgeChangesRequest;
import org.syncservice.protocol.v1.CommitNotification;
import org.syncservice.protocol.v1.DeviceRevoked;
import org.syncservice.protocol.v1.GetServerInfoResponse;
import org.syncservice.protocol.v1.CursorExpiry;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.GetWorkspaceDigestRequest;
import org.syncservice.protocol.v1.GetWorkspaceDigestResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.Notification;
import org.syncservice.protocol.v1.SubscribeNotificationsResponse;
import org.syncservice.protocol.v1.WorkspaceEvent;
import org.syncservice.protocol.v1.WorkspaceEventKind;
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
 * double the service's load for a number only operators read.
 *
 * <p>When a catch-up fails the error decides (protocol.md section 9): a transient one
 * ({@code UNAVAILABLE}, {@code RESOURCE_EXHAUSTED}, {@code DEADLINE_EXCEEDED}, a handler that threw,
 * a few {@code INTERNAL}s) is retried with backoff, and the handler may then see the changes it
 * failed on again; {@code CURSOR_EXPIRED} lists the workspace again from scratch between
 * {@link NotificationHandler#onFullListingStarted} and {@link NotificationHandler#onFullListingFinished};
 * {@code NOT_FOUND} (and a {@code WorkspaceEvent} UNSHARED) stops tracking the workspace, as does
 * any other error, and the application is told with {@link NotificationHandler#onTrackingStopped};
 * {@code UNAUTHENTICATED} stops the listener as a revocation does.
 *
 * <p>While push is unavailable (the server does not list {@code subscribe_notifications}, the
 * consumer was cancelled and subscribing again fails, or the connection is recovering) the listener
 * polls {@code get_changes} for every tracked workspace each
 * {@link SyncClientOptions#pollInterval()}, and stops polling once it consumes notifications again.
 * While push works it still catches up each {@link SyncClientOptions#checkInterval()}: after the
 * service's database was restored from a backup, notifications carry numbers the device has seen,
 * and only a {@code get_changes} (CURSOR_EXPIRED, {@link FullListingReason#HISTORY_REWOUND}) tells it.
 *
 * <p>When the application offers its copy ({@link NotificationHandler#localDigest}) and the server
 * lists {@code get_workspace_digest}, each catch-up (a poll only when it delivered changes) ends with
 * a digest check at the number reached: when the workspace moved on meanwhile it catches up and
 * checks again, at most {@link SyncClientOptions#digestCheckAttempts()} times; on a mismatch it
 * lists the workspace again from scratch (reason {@link FullListingReason#DIGEST_MISMATCH}), after
 * which it does not check again until the next catch-up.
 *
 * <p>For a workspace the application keeps only some folders of
 * ({@link NotificationHandler#subtreeIds}), the listener lists those folders' subtrees, fetches a
 * commit only when its {@code touched_folder_ids} meet a folder the application holds (or were
 * omitted), and skips the digest check: the service's digest covers the whole workspace.
 *
 * <p>The listener uses a broker connection of its own (the device's own broker identity when the
 * client switched to one, else the broker user of the options given) and the given
 * {@link SyncClient} for the calls.
 * When the connection comes back after a failure, or the broker cancels the consumer (the queue
 * expired), it subscribes again and catches up every workspace.
 *
 * <p>Thread-safety: all work happens on one dispatch thread; {@link #position}, {@link #track},
 * {@link #isPushActive} and {@link #close} may be called from any thread.
 */
public final class NotificationListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
    static final int PREFETCH = 100;
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
    static final Duration ACK_INTERVAL = Duration.ofSeconds(2);
    static final int SETTLE_BATCH = PREFETCH / 2;
    static final Duration SETTLE_DELAY = Duration.ofMillis(100);
    /** INTERNAL is retried "at most a few times" (protocol.md section 4), then reported. */
    static final int MAX_INTERNAL_ATTEMPTS = 3;
    static final Duration RESUBSCRIBE_DELAY = Duration.ofSeconds(2);
    static final String SUBSCRIBE_OPERATION = "subscribe_notifications";
    static final String DIGEST_OPERATION = "get_workspace_digest";

    private final SyncClient client;
    private final String deviceId;
    private final NotificationHandler handler;
    private final Connection connection;
    private final ScheduledExecutorService dispatcher;
    private final Duration pollInterval;
    private final Duration checkInterval;
    private final int digestCheckAttempts;
    /** Touched only on the dispatch thread; replaced when the broker closed it (a failed consume). */
    private Channel channel;
    /** Touched only on the dispatch thread. */
    private final Map<String, SyncPosition> positions = new HashMap<>();
    /** Copies for readers on other threads. */
    private final Map<String, SyncPosition> published = new ConcurrentHashMap<>();
    private final RetryBackoff backoff = new RetryBackoff(MAX_RETRY_DELAY);
    /** Touched only on the dispatch thread: workspaces being listed again from scratch, and why. */
    private final Map<String, FullListingReason> relisting = new HashMap<>();
    private final Map<String, Integer> internalFailures = new HashMap<>();
    private final Map<String, Integer> digestChecks = new HashMap<>();
    /** What the server offers, learnt once at start. */
    private boolean pushOffered;
    private boolean digestOffered;
    /** The broker user the service publishes as (empty: not announced, anything is accepted). */
    private String publisher = "";
    private volatile boolean pushActive;
    private ScheduledFuture<?> polling;
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
                                 Connection connection, Channel channel, ScheduledExecutorService dispatcher,
                                 SyncClientOptions options) {
        this.client = client;
        this.deviceId = deviceId;
        this.handler = handler;
        this.connection = connection;
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.pollInterval = options.pollInterval();
        this.checkInterval = options.checkInterval();
        this.digestCheckAttempts = options.digestCheckAttempts();
    }

    /**
     * Subscribes, starts consuming and catches up every workspace given; returns once that first
     * catch-up is done.
     *
     * @param client a logged-in client of this device, used for the calls
     * @param broker where to consume (host, port, virtual host and the broker user of this device),
     *     how often to poll while push is unavailable and how many digest checks to try
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
            connection = connect(client, broker, dispatcher);
        } catch (RuntimeException e) {
            dispatcher.shutdownNow();
            throw e;
        }
        NotificationListener listener;
        try {
            Channel channel = connection.createChannel();
            channel.basicQos(PREFETCH);
            listener = new NotificationListener(client, deviceId, handler, connection, channel, dispatcher, broker);
        } catch (IOException | RuntimeException e) {
            dispatcher.shutdownNow();
            connection.abort();
            throw SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE, "cannot open a channel", e);
        }
        try {
            dispatcher.submit(() -> {
                GetServerInfoResponse info = client.getServerInfo();
                List<String> operations = info.getOperationsList();
                listener.publisher = info.getNotificationPublisher();
                listener.pushOffered = operations.contains(SUBSCRIBE_OPERATION);
                listener.digestOffered = operations.contains(DIGEST_OPERATION);
                listener.positions.putAll(workspaces);
                listener.published.putAll(workspaces);
                listener.subscribe();
                for (String workspaceId : workspaces.keySet()) {
                    listener.catchUp(workspaceId);
                }
                dispatcher.scheduleWithFixedDelay(() -> listener.dispatch(listener::check),
                        listener.checkInterval.toMillis(), listener.checkInterval.toMillis(), TimeUnit.MILLISECONDS);
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
                // Polling has been on since the connection went down.
            }
        });
        connection.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                listener.dispatch(listener::pushLost);
            }
        });
        return listener;
    }

    /** Where the application stands in a tracked workspace; persist it to resume later. */
    public Optional<SyncPosition> position(String workspaceId) {
        return Optional.ofNullable(published.get(workspaceId));
    }

    /**
     * Starts tracking another workspace (for example one just shared, or one the listener stopped
     * tracking) from {@code position}.
     */
    public void track(String workspaceId, SyncPosition position) {
        dispatch(() -> {
            if (positions.putIfAbsent(workspaceId, position) == null) {
                published.put(workspaceId, position);
                try {
                    // Binds the device queue to the workspace.
                    subscribe();
                } catch (SyncServiceException e) {
                    LOG.warn("subscribing to notifications failed ({}); retrying", e.toString());
                    resubscribeLater();
                }
                catchUp(workspaceId);
            }
        });
    }

    /**
     * Whether changes arrive by push right now; false while the listener polls (the server offers
     * no notifications, or they are unavailable for the moment).
     */
    public boolean isPushActive() {
        return pushActive;
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

    private static Connection connect(SyncClient client, SyncClientOptions options,
                                      ScheduledExecutorService dispatcher) {
        // Under the device's own broker identity when the client has one: the same token, refreshed
        // on this connection too. Else as the options' broker user.
        BrokerLogin login = client instanceof DefaultSyncClient own ? own.deviceBrokerLogin().orElse(null) : null;
        if (login == null) {
            login = BrokerLogin.of(options.username(), options.password());
        }
        // The consumer is not replayed blindly: the queue may be gone. handleRecovery subscribes again.
        // Deliveries are handled on the dispatch thread itself: no hand-over per notification.
        return BrokerConnections.open(options, login, options.connectionName() + "-notifications", false, dispatcher);
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
        if (!pushOffered) {
            startPolling();
            return;
        }
        SubscribeNotificationsResponse subscription = client.subscribeNotifications();
        if (consumerTag != null) {
            return;
        }
        try {
            if (!channel.isOpen()) {
                // A consume of a queue deleted meanwhile closes the channel; the connection lives on.
                channel = connection.createChannel();
                channel.basicQos(PREFETCH);
            }
            consumerTag = channel.basicConsume(subscription.getQueue(), false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                                           byte[] body) {
                    // Called on the dispatch thread (the connection's consumer executor).
                    if (!closed && !revoked) {
                        onDelivery(envelope.getDeliveryTag(), properties.getUserId(), body);
                    }
                }

                @Override
                public void handleCancel(String tag) {
                    // The queue was deleted (expired, or this device was revoked): find out which.
                    dispatch(() -> {
                        consumerTag = null;
                        startPolling();
                        resubscribe();
                    });
                }
            });
        } catch (IOException | RuntimeException e) {
            throw SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE, "cannot consume " + subscription.getQueue(), e);
        }
        stopPolling();
    }

    /** The connection went down: poll until it is back and subscribed again. */
    private void pushLost() {
        consumerTag = null;
        startPolling();
    }

    private void startPolling() {
        pushActive = false;
        if (polling != null || closed) {
            return;
        }
        try {
            polling = dispatcher.scheduleWithFixedDelay(() -> dispatch(this::poll), pollInterval.toMillis(),
                    pollInterval.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("notifications unavailable for device {}; polling every {}", deviceId, pollInterval);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void stopPolling() {
        pushActive = true;
        if (polling != null) {
            polling.cancel(false);
            polling = null;
            LOG.info("notifications of device {} arrive by push again", deviceId);
        }
    }

    /**
     * The routine catch-up while push works: notifications cannot tell a device that the service's
     * history went back (a restored backup numbers new commits as ones it saw), a get_changes can.
     */
    private void check() {
        if (polling != null) {
            return; // polling catches up already
        }
        for (String workspaceId : new ArrayList<>(positions.keySet())) {
            if (!backoff.waiting(workspaceId)) {
                catchUp(workspaceId, true);
            }
        }
    }

    /** One round of polling: every tracked workspace that is not waiting for a retry anyway. */
    private void poll() {
        if (polling == null) {
            return;
        }
        for (String workspaceId : new ArrayList<>(positions.keySet())) {
            if (!backoff.waiting(workspaceId)) {
                catchUp(workspaceId, true);
            }
        }
    }

    private void resubscribeLater() {
        try {
            dispatcher.schedule(() -> dispatch(this::resubscribe), RESUBSCRIBE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
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
            LOG.warn("subscribing to notifications failed ({}); polling meanwhile and retrying", e.toString());
            startPolling();
            resubscribeLater();
            return;
        }
        // Whatever the queue missed while the connection was down is fetched.
        for (String workspaceId : new ArrayList<>(positions.keySet())) {
            catchUp(workspaceId);
        }
    }

    private void onDelivery(long deliveryTag, String publishedBy, byte[] body) {
        if (!publisher.isEmpty() && !publisher.equals(publishedBy)) {
            // Anyone allowed to publish to the queue could have sent it; the broker vouches for user_id.
            LOG.warn("dropped a notification not published by the service (user_id {})",
                    publishedBy == null ? "missing" : publishedBy);
            handled(deliveryTag);
            return;
        }
        try {
            Notification notification = Notification.parseFrom(body);
            switch (notification.getEventCase()) {
                case COMMIT -> onCommit(notification.getCommit());
                case WORKSPACE -> onWorkspaceEvent(notification.getWorkspace());
                case ITEM_LOCK -> handler.onItemLock(notification.getItemLock());
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
        if (!handler.subtreeIds(workspaceId).isEmpty()) {
            onScopedCommit(workspaceId, position, commit);
            return;
        }
        if (commit.getChangeSeq() == position.changeSeq() + 1 && !commit.getItemsOmitted()) {
            handler.onChanges(new WorkspaceChanges(workspaceId, commit.getItemsList(), commit.getChangeSeq(),
                    Optional.of(commit), deviceId.equals(commit.getDeviceId())));
            advance(workspaceId, new SyncPosition(position.cursor(), commit.getChangeSeq()));
            return;
        }
        catchUp(workspaceId);
    }

    /**
     * A commit seen by a device that keeps some folders only: its items may have left the
     * selection (only a listing flags them {@code out_of_scope}), so a commit that concerns the
     * device is fetched with get_changes; one that touched none of its folders only moves the
     * number on (the cursor stays: the listing after it has nothing of that commit to send).
     */
    private void onScopedCommit(String workspaceId, SyncPosition position, CommitNotification commit) {
        if (commit.getChangeSeq() == position.changeSeq() + 1 && !concerns(workspaceId, commit)) {
            advance(workspaceId, new SyncPosition(position.cursor(), commit.getChangeSeq()));
            return;
        }
        catchUp(workspaceId);
    }

    /** Whether a commit may have changed a folder the application holds (unknown counts as yes). */
    private boolean concerns(String workspaceId, CommitNotification commit) {
        if (commit.getTouchedFoldersOmitted() || commit.getTouchedFolderIdsCount() == 0) {
            return true; // too many folders to name, or a server without subtree_sync
        }
        for (long folderId : commit.getTouchedFolderIdsList()) {
            if (folderId == 0 || handler.holdsFolder(workspaceId, folderId)) {
                return true;
            }
        }
        return false;
    }

    private void onWorkspaceEvent(WorkspaceEvent event) {
        String workspaceId = event.getWorkspace().getWorkspaceId();
        if (event.getKind() == WorkspaceEventKind.WORKSPACE_EVENT_KIND_UNSHARED && positions.containsKey(workspaceId)) {
            stopTracking(workspaceId, new TrackingStop(TrackingStop.Reason.UNSHARED, Optional.empty()));
        }
        handler.onWorkspaceEvent(event);
    }

    private void catchUp(String workspaceId) {
        catchUp(workspaceId, false);
    }

    /**
     * Fetches everything after the workspace's cursor and hands over what the application has not
     * seen (everything, when listing again from scratch), then checks the digest.
     *
     * @param poll whether this is a routine poll, which checks the digest only when it found changes
     */
    private void catchUp(String workspaceId, boolean poll) {
        SyncPosition position = positions.get(workspaceId);
        if (position == null) {
            return;
        }
        FullListingReason relist = relisting.get(workspaceId);
        // A scoped listing hands over everything it lists: an item entering the selection with a
        // folder moved in keeps the (old) number of its last version, and no notification carried it.
        boolean scoped = !handler.subtreeIds(workspaceId).isEmpty();
        long seen = position.changeSeq();
        boolean delivered = false;
        try {
            while (true) {
                GetChangesResponse page;
                try {
                    page = client.getChanges(GetChangesRequest.newBuilder()
                            .setWorkspaceId(workspaceId).setCursor(position.cursor())
                            .addAllSubtreeIds(handler.subtreeIds(workspaceId)).build());
                } catch (SyncServiceException e) {
                    failed(workspaceId, position, e);
                    return;
                }
                List<Item> fresh = new ArrayList<>();
                for (Item item : page.getItemsList()) {
                    if (relist != null || scoped || item.getChangeSeq() > seen) {
                        fresh.add(item);
                    }
                }
                long reached = Math.max(seen, page.getChangeSeq());
                if (!fresh.isEmpty()) {
                    handler.onChanges(new WorkspaceChanges(workspaceId, fresh,
                            page.getHasMore() ? seen : reached, Optional.empty(), false));
                    delivered = true;
                }
                // Mid-listing only the cursor moves; the number is reached with the last page.
                position = new SyncPosition(page.getNextCursor(), page.getHasMore() ? seen : reached);
                advance(workspaceId, position);
                if (!page.getHasMore()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            retryLater(workspaceId, e, Optional.empty());
            return;
        }
        backoff.succeeded(workspaceId);
        internalFailures.remove(workspaceId);
        if (relist != null) {
            relisting.remove(workspaceId);
            long reached = position.changeSeq();
            tell(() -> handler.onFullListingFinished(workspaceId, reached));
        }
        // Right after a relist for a mismatch, another check could only repeat it (a copy the
        // application sums up wrongly would relist for ever).
        if (relist != FullListingReason.DIGEST_MISMATCH && (!poll || delivered)) {
            checkDigest(workspaceId, position.changeSeq());
        }
    }

    /** What a failed get_changes means for the workspace (protocol.md sections 4 and 9). */
    private void failed(String workspaceId, SyncPosition position, SyncServiceException e) {
        switch (e.code()) {
            case ERROR_CODE_CURSOR_EXPIRED -> {
                if (position.cursor().isEmpty()) {
                    // A listing from scratch cannot expire: asking again would loop.
                    stopTracking(workspaceId, new TrackingStop(TrackingStop.Reason.FAILED, Optional.of(e)));
                } else if (e.cursorExpiry() == CursorExpiry.CURSOR_EXPIRY_HISTORY_REWOUND) {
                    LOG.warn("the service's history of workspace {} went back (its database was restored from a"
                            + " backup); listing it again from scratch", workspaceId);
                    listFromScratch(workspaceId, FullListingReason.HISTORY_REWOUND);
                } else {
                    LOG.info("the cursor of workspace {} expired; listing it again from scratch", workspaceId);
                    listFromScratch(workspaceId, FullListingReason.CURSOR_EXPIRED);
                }
            }
            case ERROR_CODE_NOT_FOUND ->
                    stopTracking(workspaceId, new TrackingStop(TrackingStop.Reason.NOT_FOUND, Optional.of(e)));
            case ERROR_CODE_UNAUTHENTICATED -> stopRevoked();
            case ERROR_CODE_INTERNAL -> {
                if (internalFailures.merge(workspaceId, 1, Integer::sum) < MAX_INTERNAL_ATTEMPTS) {
                    retryLater(workspaceId, e, e.retryAfter());
                } else {
                    stopTracking(workspaceId, new TrackingStop(TrackingStop.Reason.FAILED, Optional.of(e)));
                }
            }
            default -> {
                if (e.isRetryable()) {
                    retryLater(workspaceId, e, e.retryAfter());
                } else {
                    stopTracking(workspaceId, new TrackingStop(TrackingStop.Reason.FAILED, Optional.of(e)));
                }
            }
        }
    }

    private void retryLater(String workspaceId, RuntimeException e, Optional<Duration> retryAfter) {
        Duration delay = backoff.next(workspaceId, retryAfter);
        LOG.warn("catching up workspace {} failed ({}); retrying in {}", workspaceId, e.toString(), delay);
        try {
            dispatcher.schedule(() -> dispatch(() -> catchUp(workspaceId)), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the listener stops
        }
    }

    /** Lists the workspace again from an empty cursor; the application reconciles its copy with it. */
    private void listFromScratch(String workspaceId, FullListingReason reason) {
        SyncPosition position = positions.get(workspaceId);
        // The number stays: the listing covers every change up to it and beyond. Unless the history
        // went back: the numbers above the restored one will be given to other changes, which
        // must not be taken for ones already seen.
        long seen = reason == FullListingReason.HISTORY_REWOUND ? 0 : position.changeSeq();
        SyncPosition fromScratch = new SyncPosition("", seen);
        positions.put(workspaceId, fromScratch);
        published.put(workspaceId, fromScratch);
        if (reason == FullListingReason.HISTORY_REWOUND) {
            acknowledged.remove(workspaceId);
        }
        relisting.put(workspaceId, reason);
        tell(() -> handler.onFullListingStarted(workspaceId, reason));
        catchUp(workspaceId);
    }

    /**
     * Compares the application's copy with the service's digest taken at {@code reached}; catches
     * up and compares again when the workspace moved on, a bounded number of times.
     */
    private void checkDigest(String workspaceId, long reached) {
        if (digestCheckAttempts == 0 || !digestOffered || !handler.subtreeIds(workspaceId).isEmpty()) {
            // The service's digest sums up the whole workspace: a copy of some folders never matches it.
            return;
        }
        Optional<WorkspaceDigest> local;
        try {
            local = handler.localDigest(workspaceId);
        } catch (RuntimeException e) {
            LOG.warn("the application's digest of workspace {} failed: {}", workspaceId, e.toString());
            return;
        }
        if (local.isEmpty()) {
            return;
        }
        GetWorkspaceDigestResponse server;
        try {
            server = client.getWorkspaceDigest(GetWorkspaceDigestRequest.newBuilder()
                    .setWorkspaceId(workspaceId).build());
        } catch (SyncServiceException e) {
            digestChecks.remove(workspaceId);
            if (e.code() == ErrorCode.ERROR_CODE_NOT_FOUND) {
                stopTracking(workspaceId, new TrackingStop(TrackingStop.Reason.NOT_FOUND, Optional.of(e)));
            } else {
                // Only a check: the next catch-up checks again.
                LOG.warn("get_workspace_digest of workspace {} failed: {}", workspaceId, e.toString());
            }
            return;
        }
        if (server.getChangeSeq() > reached) {
            if (digestChecks.merge(workspaceId, 1, Integer::sum) < digestCheckAttempts) {
                catchUp(workspaceId);
            } else {
                digestChecks.remove(workspaceId);
                LOG.info("workspace {} kept moving; its digest is checked after the next catch-up", workspaceId);
            }
            return;
        }
        digestChecks.remove(workspaceId);
        if (server.getChangeSeq() == reached && (server.getLiveItemCount() != local.get().liveItemCount()
                || !server.getDigest().equals(local.get().digest()))) {
            LOG.warn("the copy of workspace {} does not match the service's at change {} ({} live items, the"
                    + " service has {}); listing it again", workspaceId, reached, local.get().liveItemCount(),
                    server.getLiveItemCount());
            listFromScratch(workspaceId, FullListingReason.DIGEST_MISMATCH);
        }
    }

    /** Forgets the workspace: no more calls for it until {@link #track}. */
    private void stopTracking(String workspaceId, TrackingStop stop) {
        if (positions.remove(workspaceId) == null) {
            return;
        }
        published.remove(workspaceId);
        relisting.remove(workspaceId);
        backoff.succeeded(workspaceId);
        internalFailures.remove(workspaceId);
        digestChecks.remove(workspaceId);
        acknowledged.remove(workspaceId);
        LOG.info("stopped tracking workspace {}: {}", workspaceId, stop.reason());
        tell(() -> handler.onTrackingStopped(workspaceId, stop));
    }

    /** Calls a handler method that only informs: what it throws changes nothing here. */
    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("the notification handler failed: {}", e.toString());
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
        SyncPosition position = positions.get(workspaceId);
        if (position == null) {
            return; // no longer tracked
        }
        long reached = position.changeSeq();
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
