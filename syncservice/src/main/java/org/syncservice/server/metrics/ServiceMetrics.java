package org.syncservice.server.metrics;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.server.core.BatchObserver;
import org.syncservice.server.retention.RetentionObserver;
import org.syncservice.server.rpc.RequestObserver;
import org.syncservice.server.sync.StandbyListings;

/**
 * The service's metrics in one Prometheus registry: requests (through {@link #requestObserver()}),
 * batch sizes (through {@link #batchObserver()}), the connection pool (through {@link #poolMetrics()}), the outbox backlog (counted every
 * {@code backlogInterval} by a background thread, never per scrape, so scrapes cost the database
 * nothing), the broker connection state, the build's version ({@code syncservice_build_info}) and
 * the JVM and process: memory, GC pauses, threads, classes, CPU, uptime, open files. Thread-safe.
 */
public final class ServiceMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestObserver requestObserver = new MicrometerRequestObserver(registry);
    private final BatchObserver batchObserver = new MicrometerBatchObserver(registry);
    private final RetentionObserver retentionObserver = new MicrometerRetentionObserver(registry);
    /** Listens to the JVM's GC notifications until closed. */
    private final JvmGcMetrics jvmGc = new JvmGcMetrics();
    private final Duration backlogInterval;
    private volatile double outboxBacklog = Double.NaN;
    private ScheduledExecutorService poller;

    /** @param version the build's version, shown by {@code syncservice_build_info} */
    public ServiceMetrics(Duration backlogInterval, String version) {
        this.backlogInterval = backlogInterval;
        Gauge.builder("syncservice.build.info", () -> 1)
                .description("Always 1; its version label is the running build's")
                .tag("version", version)
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        jvmGc.bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public RequestObserver requestObserver() {
        return requestObserver;
    }

    public BatchObserver batchObserver() {
        return batchObserver;
    }

    public RetentionObserver retentionObserver() {
        return retentionObserver;
    }

    /** For {@code HikariConfig.setMetricsTrackerFactory}: the pool's connections, waits and timeouts. */
    public MetricsTrackerFactory poolMetrics() {
        return new MicrometerMetricsTrackerFactory(registry);
    }

    /**
     * Starts counting the outbox backlog and reporting the broker state.
     *
     * @param backlog counts the unpublished outbox rows; may throw when the database is down (the
     *     gauge then shows NaN until it is back)
     * @param brokerConnected whether the broker connection is up
     */
    public synchronized void start(LongSupplier backlog, BooleanSupplier brokerConnected) {
        Gauge.builder("syncservice.outbox.backlog", this, metrics -> metrics.outboxBacklog)
                .description("Notifications written to the outbox and not yet published")
                .register(registry);
        Gauge.builder("syncservice.broker.connected", brokerConnected, up -> up.getAsBoolean() ? 1 : 0)
                .description("1 while the broker connection is up and consuming, else 0")
                .register(registry);
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "metrics-outbox-backlog");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                outboxBacklog = backlog.getAsLong();
            } catch (RuntimeException e) {
                outboxBacklog = Double.NaN;
                log.debug("cannot count the outbox backlog: {}", e.toString());
            }
        }, 0, backlogInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counts the listing pages the standby served, was behind for (the primary served them) and failed. */
    public void countStandbyListings(StandbyListings standby) {
        Map<String, ToDoubleFunction<StandbyListings>> outcomes = Map.of(
                "served", listings -> listings.counts().served(),
                "behind", listings -> listings.counts().behind(),
                "failed", listings -> listings.counts().failed());
        outcomes.forEach((outcome, count) -> FunctionCounter.builder("syncservice.standby.listing.pages", standby, count)
                .description("get_changes pages by what the standby did: served, behind (served by the primary),"
                        + " failed (served by the primary, the standby left alone for a while)")
                .tag("outcome", outcome).register(registry));
    }

    /** Every metric in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
        jvmGc.close();
        registry.close();
    }
}
