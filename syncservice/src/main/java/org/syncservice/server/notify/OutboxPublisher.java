package org.syncservice.server.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.syncservice.server.config.NotificationConfig;
import org.syncservice.server.core.BatchObserver;
import org.syncservice.server.core.Lifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox to the broker on one thread of its own: leases a small batch of pending rows
 * for {@link #LEASE} (rows another publisher leased are skipped, never waited for), publishes them
 * with publisher confirms outside any database transaction, then marks them published, so a row
 * is marked only once the broker has it. A broker outage leaves the rows pending (the lease is
 * given back); they go out on the next pass. A crash leaves them leased; any publisher takes them
 * once the lease ran out.
 *
 * <p>A row that fails on its own (the broker refuses it, or it cannot be rebuilt or encoded) does
 * not hold up the rest of its batch: the others are marked, it stays pending with one more attempt
 * counted, and after {@code notifications.outbox-max-attempts} it is set aside (skipped until
 * replayed). An outage is no row's fault and counts against none.
 *
 * <p>A pass runs when {@link #wake()} is called (right after a change was committed on this
 * instance) and at the latest every {@code notifications.outbox-poll-interval}, which picks up
 * rows committed by other instances or left by a crash. When a pass fails (broker or database
 * away) the next one waits with exponential backoff up to {@link #MAX_BACKOFF}. Published rows
 * older than {@code notifications.outbox-retention} are pruned every {@link #PRUNE_EVERY}.
 *
 * <p>Thread-safety: {@link #wake()} and {@link #isHealthy()} may be called from any thread;
 * {@link #start()} and {@link #close()} by one owner.
 */
public final class OutboxPublisher implements Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(OutboxPublisher.class);
    static final Duration MIN_BACKOFF = Duration.ofMillis(250);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration PRUNE_EVERY = Duration.ofMinutes(10);
    /** How long {@link #close()} keeps publishing what is pending before it gives up. */
    static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long a pass holds its rows: far longer than a pass takes (a confirm waits at most 10 s),
     * and what the rows of a publisher that died mid-pass wait before another one takes them.
     */
    public static final Duration LEASE = Duration.ofSeconds(30);

    private final OutboxStore outbox;
    private final NotificationSink sink;
    private final DeviceQueues deviceQueues;
    private final NotificationEncoder encoder;
    private final NotificationConfig config;
    private final Clock clock;
    private final BatchObserver batches;
    private final String name;
    private final Semaphore wakeUps = new Semaphore(0);
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean lastPassFailed;
    private Thread thread;
    private long nextPruneAtMs;

    /**
     * @param deviceQueues deletes the queue of a revoked device once its DeviceRevoked went out
     * @param batches told the size of every pass that published something
     * @param name names the thread and the log lines, to tell publishers apart
     */
    public OutboxPublisher(OutboxStore outbox, NotificationSink sink, DeviceQueues deviceQueues,
                           NotificationEncoder encoder, NotificationConfig config, Clock clock,
                           BatchObserver batches, String name) {
        this.outbox = outbox;
        this.sink = sink;
        this.deviceQueues = deviceQueues;
        this.encoder = encoder;
        this.config = config;
        this.clock = clock;
        this.batches = batches;
        this.name = name;
    }

    @Override
    public synchronized void start() throws Exception {
        if (thread != null || stopping.getCount() == 0) {
            throw new IllegalStateException("a publisher starts once");
        }
        sink.start();
        running = true;
        nextPruneAtMs = clock.millis();
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks for a pass now: a change was just committed. Cheap; never blocks. */
    public void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    @Override
    public boolean isHealthy() {
        Thread current = thread;
        return running && current != null && current.isAlive() && !lastPassFailed && sink.isHealthy();
    }

    /** Stops the thread, then publishes what is still pending for up to {@link #FLUSH_TIMEOUT}. */
    @Override
    public synchronized void close() {
        if (thread == null) {
            return;
        }
        running = false;
        stopping.countDown();
        wakeUps.release();
        try {
            thread.join(MAX_BACKOFF.toMillis() + FLUSH_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
        sink.close();
        thread = null;
    }

    private void flush() {
        long deadline = System.nanoTime() + FLUSH_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline && publishOnce() > 0) {
                // keep going while rows come out
            }
        } catch (Exception e) {
            log.warn("{}: stopped with notifications still pending ({}); another instance or the next start publishes them",
                    name, e.toString());
        }
    }

    private void run() {
        Duration backoff = MIN_BACKOFF;
        while (running) {
            try {
                int claimed = publishOnce();
                if (lastPassFailed) {
                    lastPassFailed = false;
                    log.info("{}: publishing notifications again", name);
                }
                backoff = MIN_BACKOFF;
                if (claimed >= config.outboxBatchSize()) {
                    continue;
                }
                pruneIfDue();
                wakeUps.tryAcquire(config.outboxPollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | Error e) {
                if (!lastPassFailed) {
                    lastPassFailed = true;
                    log.warn("{}: cannot publish notifications ({}); they stay in the outbox, retrying with backoff",
                            name, e.toString());
                } else {
                    log.debug("{}: publishing still fails: {}", name, e.toString());
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private int publishOnce() throws Exception {
        OutboxStore.Pass pass = outbox.publishPending(config.outboxBatchSize(), config.maxItemsPerNotification(),
                config.outboxMaxAttempts(), LEASE, this::publish);
        if (pass.published() > 0) {
            batches.outboxPassPublished(pass.published());
        }
        if (pass.refused() > 0) {
            batches.outboxRowsFailed(pass.refused(), pass.setAside());
            if (pass.setAside() > 0) {
                log.warn("{}: set aside {} notifications that failed {} times (see status; replay-outbox sends them"
                        + " again)", name, pass.setAside(), config.outboxMaxAttempts());
            }
        }
        return pass.claimed();
    }

    /**
     * Publishes the events and answers those that failed on their own: could not be encoded, or
     * were refused by the broker. Throws when the broker cannot be used at all.
     */
    private List<OutboxStore.Refusal> publish(List<OutboxEvent> events) throws Exception {
        long now = clock.millis();
        List<OutboxStore.Refusal> failed = new ArrayList<>();
        List<OutboxEvent> encoded = new ArrayList<>(events.size());
        // out.get(i) announces sources.get(i); an event may go out under several routing keys.
        List<OutboundNotification> out = new ArrayList<>(events.size());
        List<OutboxEvent> sources = new ArrayList<>(events.size());
        for (OutboxEvent event : events) {
            byte[] body;
            try {
                body = encoder.encode(event, now);
            } catch (RuntimeException e) {
                failed.add(new OutboxStore.Refusal(event.outboxId(), "cannot encode the notification: " + e));
                continue;
            }
            encoded.add(event);
            for (String routingKey : NotificationRoutes.routingKeys(event)) {
                out.add(new OutboundNotification(event.notificationId(), routingKey, body));
                sources.add(event);
            }
        }
        // Queues follow memberships before anything of the batch goes out, so the commit rows
        // written with a SHARED (or CREATED) row reach the member's devices, and no commit after an
        // UNSHARED row reaches the removed member's. A failure leaves the rows pending; bindings
        // are idempotent, so the retry repeats them harmlessly.
        for (OutboxEvent event : encoded) {
            if (event instanceof OutboxEvent.Workspace change) {
                followMembership(change);
            }
        }
        Set<Long> refused = new HashSet<>();
        for (NotificationSink.Refused refusal : sink.publishConfirmed(out)) {
            OutboxEvent source = sources.get(refusal.index());
            if (refused.add(source.outboxId())) {
                failed.add(new OutboxStore.Refusal(source.outboxId(), refusal.reason()));
            }
        }
        // The revoked device was told (if it listened); now cut it off. A failure here leaves the
        // row pending, so the deletion is retried with the row (and the notice sent again).
        for (OutboxEvent event : encoded) {
            if (!refused.contains(event.outboxId()) && event instanceof OutboxEvent.DeviceRevoked revoked) {
                deviceQueues.delete(revoked.deviceId());
                log.info("{}: deleted the notification queue of revoked device {}", name, revoked.deviceId());
            }
        }
        return failed;
    }

    private void followMembership(OutboxEvent.Workspace change) {
        String key = NotificationRoutes.workspace(change.workspaceId());
        switch (change.change()) {
            case SHARED, CREATED -> {
                if (change.view() == null) {
                    return; // no longer a member by the time the row goes out
                }
                for (UUID device : change.deviceIds()) {
                    deviceQueues.bindIfExists(device, key);
                }
            }
            case UNSHARED -> {
                for (UUID device : change.deviceIds()) {
                    deviceQueues.unbind(device, key);
                }
            }
            default -> {
            }
        }
    }

    private void pruneIfDue() {
        long now = clock.millis();
        if (now < nextPruneAtMs) {
            return;
        }
        nextPruneAtMs = now + PRUNE_EVERY.toMillis();
        int pruned = outbox.prunePublished(clock.instant().minus(config.outboxRetention()));
        if (pruned > 0) {
            log.debug("{}: pruned {} published outbox rows", name, pruned);
        }
    }

    private void sleep(Duration duration) {
        try {
            // Commits do not cut a backoff short (they would hammer a broker that is away); close() does.
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
