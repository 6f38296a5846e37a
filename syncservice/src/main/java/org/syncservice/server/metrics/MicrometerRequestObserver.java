package org.syncservice.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.syncservice.server.rpc.RequestObserver;

/**
 * Records requests as {@code syncservice_requests_total{operation, code}} and the latency histogram
 * {@code syncservice_request_duration_seconds{operation}}. Operations and codes are closed sets
 * (protocol field names and error codes), so the number of series is bounded. Meters are looked up
 * once and cached: the hot path is two map reads. Thread-safe.
 */
final class MicrometerRequestObserver implements RequestObserver {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, Counter>> counters = new ConcurrentHashMap<>();

    MicrometerRequestObserver(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void observe(String operation, String errorCode, long nanos) {
        timers.computeIfAbsent(operation, op -> Timer.builder("syncservice.request.duration")
                        .description("Time from receiving a request to having its answer, per operation")
                        .tag("operation", op)
                        .publishPercentileHistogram()
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        counters.computeIfAbsent(operation, op -> new ConcurrentHashMap<>())
                .computeIfAbsent(errorCode, code -> Counter.builder("syncservice.requests")
                        .description("Requests answered, per operation and error code (OK for success)")
                        .tag("operation", operation)
                        .tag("code", code)
                        .register(registry))
                .increment();
    }
}
