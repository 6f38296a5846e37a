package org.syncservice.server;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.syncservice.server.config.HttpConfig;
import org.syncservice.server.core.BatchObserver;
import org.syncservice.server.http.HealthReport;
import org.syncservice.server.http.OperationsEndpoint;
import org.syncservice.server.metrics.ServiceMetrics;
import org.syncservice.server.retention.RetentionObserver;
import org.syncservice.server.rpc.RequestObserver;
import org.syncservice.server.status.StatusStore;
import org.syncservice.server.sync.StandbyListings;

/**
 * The health and metrics part of the composition root: with {@code http.port} 0 (the default)
 * there is nothing (no registry, no thread, no socket); otherwise metrics are collected and served
 * with the health check. Not thread-safe: built, started and closed by the composition root.
 */
final class Observability implements AutoCloseable {
    /** How often the outbox backlog is counted: often enough for alerts, rare enough to cost nothing. */
    static final Duration BACKLOG_INTERVAL = Duration.ofSeconds(15);

    private final HttpConfig config;
    private final ServiceMetrics metrics;
    private OperationsEndpoint endpoint;

    /** @param version the build's version, for the build-info metric */
    Observability(HttpConfig config, String version) {
        this.config = config;
        this.metrics = config.enabled() ? new ServiceMetrics(BACKLOG_INTERVAL, version) : null;
    }

    /** For the pool; null (no tracking) when disabled. */
    MetricsTrackerFactory poolMetrics() {
        return metrics == null ? null : metrics.poolMetrics();
    }

    RequestObserver requestObserver() {
        return metrics == null ? RequestObserver.NONE : metrics.requestObserver();
    }

    BatchObserver batchObserver() {
        return metrics == null ? BatchObserver.NONE : metrics.batchObserver();
    }

    RetentionObserver retentionObserver() {
        return metrics == null ? RetentionObserver.NONE : metrics.retentionObserver();
    }

    /** @param storageReachable asks the storage back-end (one request), for each readiness check */
    void start(StatusStore status, BooleanSupplier brokerHealthy, BooleanSupplier storageReachable,
               StandbyListings standby) throws IOException {
        if (metrics == null) {
            return;
        }
        metrics.start(status::outboxBacklog, brokerHealthy);
        metrics.countStandbyListings(standby);
        endpoint = new OperationsEndpoint(new InetSocketAddress(config.bindAddress(), config.port()),
                () -> new HealthReport(status.isReachable(), brokerHealthy.getAsBoolean(),
                        storageReachable.getAsBoolean()), metrics::scrape);
        endpoint.start();
    }

    Optional<InetSocketAddress> address() {
        return Optional.ofNullable(endpoint).map(OperationsEndpoint::address);
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
