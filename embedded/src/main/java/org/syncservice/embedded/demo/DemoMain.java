package org.syncservice.embedded.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.client.SyncServiceException;
import org.syncservice.embedded.EmbeddedSyncService;
import org.syncservice.server.config.AmqpConfig;
import org.syncservice.server.config.ConfigException;
import org.syncservice.server.config.ConfigLoader;

/**
 * {@code scripts/demo.sh [--config FILE]}: runs the {@link Demo}. Without {@code --config} it first
 * starts the embedded service (PostgreSQL, Qpid Broker-J, S3Proxy and the service, in this process,
 * on a fresh data directory that is removed afterwards); with it, it drives the running service
 * that configuration file describes, whose demo user must exist. Environment:
 * {@code SYNCSERVICE_DEMO_EMAIL} (default demo@example.org), {@code SYNCSERVICE_DEMO_PASSWORD}
 * (default demo-password). Exit codes: 0 the demo went as told, 1 it did not (the last line says
 * why), 2 wrong command line, 78 configuration error.
 */
public final class DemoMain {
    static final String DEFAULT_PASSWORD = "demo-password";
    private static final String USAGE = "usage: scripts/demo.sh [--config FILE]";

    private DemoMain() {
    }

    public static void main(String[] args) {
        // The story goes to standard output; only warnings of the components belong next to it.
        if (System.getProperty("SYNCSERVICE_LOG_LEVEL") == null && System.getenv("SYNCSERVICE_LOG_LEVEL") == null) {
            System.setProperty("SYNCSERVICE_LOG_LEVEL", "WARN");
        }
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path config = null;
        if (args.length == 2 && (args[0].equals("--config") || args[0].equals("-c"))) {
            config = Path.of(args[1]);
        } else if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return 0;
        } else if (args.length != 0) {
            err.println("demo: " + USAGE);
            return 2;
        }
        String email = System.getenv().getOrDefault("SYNCSERVICE_DEMO_EMAIL", EmbeddedSyncService.DEMO_EMAIL);
        String password = System.getenv().getOrDefault("SYNCSERVICE_DEMO_PASSWORD", DEFAULT_PASSWORD);
        try {
            if (config != null) {
                AmqpConfig amqp = ConfigLoader.load(config).amqp();
                out.println("Running the demo against the service at amqp://" + amqp.host() + ":" + amqp.port()
                        + " (queue " + amqp.requestQueue() + ").");
                new Demo(options(amqp, amqp.port()), email, password, out).run();
            } else {
                runEmbedded(password, out);
            }
            return 0;
        } catch (ConfigException e) {
            err.println("demo: configuration error: " + e.getMessage());
            return 78;
        } catch (DemoFailure e) {
            err.println("demo failed: " + e.getMessage());
            return 1;
        } catch (SyncServiceException e) {
            err.println("demo failed: the service answered " + e.code() + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("demo failed: " + e);
            return 1;
        }
    }

    /** Starts the embedded service on a fresh data directory, runs the demo on it, and removes it all. */
    static DemoReport runEmbedded(String password, PrintStream out) throws Exception {
        Path data = Files.createTempDirectory("syncservice-demo");
        try {
            out.println("Starting the embedded service (PostgreSQL, an AMQP broker, an S3 store and syncservice,"
                    + " in this process)...");
            try (EmbeddedSyncService embedded = new EmbeddedSyncService(
                    new EmbeddedSyncService.Settings(data, 0, password))) {
                embedded.start();
                AmqpConfig amqp = embedded.config().amqp();
                out.println("The service is up: broker at amqp://127.0.0.1:" + embedded.amqpPort() + ", storage at"
                        + " http://127.0.0.1:" + embedded.s3Port() + ", demo user " + EmbeddedSyncService.DEMO_EMAIL
                        + ".");
                return new Demo(options(amqp, embedded.amqpPort()), EmbeddedSyncService.DEMO_EMAIL, password, out)
                        .run();
            }
        } finally {
            deleteRecursively(data);
        }
    }

    static SyncClientOptions options(AmqpConfig amqp, int port) {
        return SyncClientOptions.builder()
                .host(amqp.host()).port(port).virtualHost(amqp.virtualHost())
                .username(amqp.user()).password(amqp.password().reveal()).tls(amqp.tls())
                .requestQueue(amqp.requestQueue())
                .callTimeout(Duration.ofSeconds(20))
                // Qpid (the embedded broker) reads AMQP expiration as an absolute time; without it the
                // request's deadline_ms still lets the service drop requests that waited too long.
                .requestExpiration(false)
                .build();
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    // Best effort: it is a temporary directory.
                }
            });
        } catch (IOException e) {
            // Best effort: it is a temporary directory.
        }
    }
}
