package org.syncservice.server.notify;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.server.core.DaemonThreads;
import org.syncservice.server.core.Lifecycle;

/**
 * Closes the broker connections of revoked and signed-out devices, on one thread of its own, every
 * instance alike. A connection closed while the device's last broker token is still valid can be
 * opened again with it (amqp-client reconnects by itself), so each device is swept every {@link
 * #SWEEP_INTERVAL} until a sweep made after that token expired (the broker then refuses the token
 * at login) found it with nothing left open; only then is it forgotten. A failed sweep (the
 * broker's management interface or the database away) is logged once and retried on the next, so
 * the closing is retried until it is done, by whichever instance gets there.
 *
 * <p>Thread-safety: {@link #isHealthy()} may be called from any thread; {@link #start()} and
 * {@link #close()} by one owner.
 */
public final class RevokedConnectionCloser implements Lifecycle {
    private static final Logger log = LoggerFactory.getLogger(RevokedConnectionCloser.class);
    /** How soon a connection reopened with a still valid token is closed again. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
    /**
     * Added to the token lifetime before the last sweep: a token may be issued until the revoking
     * transaction commits (a little after its row's time), and the broker's clock may differ a bit.
     */
    static final Duration SLACK = Duration.ofSeconds(5);
    static final int BATCH = 100;
    static final String REASON = "the device was revoked or signed out";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final DisconnectStore store;
    private final DeviceConnections connections;
    private final Duration tokenLifetime;
    private final Duration interval;
    private final String name;
    private volatile boolean lastSweepFailed;
    private volatile ScheduledExecutorService sweeps;

    /**
     * @param tokenLifetime how long the service's broker tokens live ({@code auth.token-cache-ttl})
     * @param name names the thread and the log lines
     */
    public RevokedConnectionCloser(DisconnectStore store, DeviceConnections connections, Duration tokenLifetime,
                                   String name) {
        this.store = store;
        this.connections = connections;
        this.tokenLifetime = tokenLifetime.plus(SLACK);
        // With nothing to close the rows only have to be forgotten once their tokens expired.
        this.interval = connections == DeviceConnections.NONE ? tokenLifetime : SWEEP_INTERVAL;
        this.name = name;
    }

    @Override
    public synchronized void start() {
        if (sweeps != null) {
            throw new IllegalStateException("a connection closer starts once");
        }
        log.info("{}: broker connections of revoked devices: {}", name, connections.describe());
        sweeps = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(name + "-"));
        sweeps.scheduleWithFixedDelay(this::sweepAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isHealthy() {
        ScheduledExecutorService current = sweeps;
        return current != null && !current.isShutdown() && !lastSweepFailed;
    }

    /** Stops after the sweep in progress; what is left is swept by the other instances or the next start. */
    @Override
    public synchronized void close() {
        if (sweeps == null || sweeps.isShutdown()) {
            return;
        }
        sweeps.shutdown();
        try {
            sweeps.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One sweep: returns how many devices it looked at. */
    int sweep() {
        List<DisconnectStore.Pending> pending = store.pending(BATCH, tokenLifetime);
        for (DisconnectStore.Pending device : pending) {
            int closed = connections.close(device.deviceId(), REASON);
            if (closed > 0) {
                log.info("{}: closed {} broker connection(s) of device {}", name, closed, device.deviceId());
            }
            if (device.tokensExpired()) {
                store.done(device);
            }
        }
        return pending.size();
    }

    private void sweepAll() {
        try {
            while (sweep() == BATCH && !sweeps.isShutdown()) {
                // more are waiting: go on at once
            }
            if (lastSweepFailed) {
                lastSweepFailed = false;
                log.info("{}: closing the connections of revoked devices again", name);
            }
        } catch (RuntimeException e) {
            if (!lastSweepFailed) {
                lastSweepFailed = true;
                log.warn("{}: cannot close the connections of revoked devices ({}); retrying every {} ms",
                        name, e.getMessage(), interval.toMillis());
            } else {
                log.debug("{}: closing still fails: {}", name, e.toString());
            }
        }
    }
}
