package org.syncservice.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.syncservice.server.core.Lifecycle;

/**
 * The health and metrics endpoint, on the JDK's HTTP server. {@code GET /health/live} answers 200
 * while the process serves at all (a service manager restarts it otherwise); {@code GET
 * /health/ready} (and {@code /health}, its older name) answers 200 with
 * {@code {"status":"UP","database":"UP","broker":"UP","storage":"UP"}} while all three are
 * reachable, else 503 naming the one that is {@code DOWN} (a load balancer stops routing to it);
 * {@code GET /metrics} answers the Prometheus text format. Nothing else is served. Meant for a
 * private network or loopback: it has no authentication. Thread-safe.
 */
public final class OperationsEndpoint implements Lifecycle {
    static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final InetSocketAddress bindAddress;
    private final Supplier<HealthReport> health;
    private final Supplier<String> metrics;
    private HttpServer server;
    private ExecutorService executor;

    public OperationsEndpoint(InetSocketAddress bindAddress, Supplier<HealthReport> health, Supplier<String> metrics) {
        this.bindAddress = bindAddress;
        this.health = health;
        this.metrics = metrics;
    }

    @Override
    public synchronized void start() throws IOException {
        server = HttpServer.create(bindAddress, 16);
        AtomicInteger threads = new AtomicInteger();
        // Two threads: a health check waiting on a hung database does not hold up a scrape.
        executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The address it listens on (the actual port when 0 was asked for). */
    public synchronized InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public boolean isHealthy() {
        return server != null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/health") && !path.equals("/health/ready") && !path.equals("/health/live")
                    && !path.equals("/metrics")) {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found\n");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            if (path.equals("/health/live")) {
                // Answering at all is the proof: nothing the process depends on is asked.
                respond(exchange, 200, "application/json", "{\"status\":\"UP\"}\n");
            } else if (path.startsWith("/health")) {
                HealthReport report = health.get();
                respond(exchange, report.up() ? 200 : 503, "application/json", report.toJson() + "\n");
            } else {
                respond(exchange, 200, PROMETHEUS_TYPE, metrics.get());
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
