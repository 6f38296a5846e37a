package org.syncservice.embedded;

import java.io.PrintStream;
import java.nio.file.Path;
import org.syncservice.server.cli.StopSignals;

/**
 * {@code java -jar embedded/target/syncservice-embedded.jar [DATA_DIR]}: runs the whole service on
 * this machine with nothing installed, until SIGTERM or Ctrl-C, then stops it in order and exits 0.
 * Data (PostgreSQL, its binaries, S3 files, the generated passwords) stays in DATA_DIR (default
 * {@code target/embedded-data}) between runs. Environment: {@code SYNCSERVICE_EMBEDDED_AMQP_PORT}
 * (default 5673; 0 picks a free port), {@code SYNCSERVICE_DEMO_PASSWORD} (the demo user's password
 * when it is created). A failure to start is one line on standard error and exit code 1.
 */
public final class EmbeddedMain {
    static final String DEFAULT_DEMO_PASSWORD = "demo-password";

    private EmbeddedMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path data = Path.of(args.length > 0 ? args[0] : "target/embedded-data");
        String port = System.getenv().getOrDefault("SYNCSERVICE_EMBEDDED_AMQP_PORT", "5673");
        String password = System.getenv().getOrDefault("SYNCSERVICE_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD);
        int amqpPort;
        try {
            amqpPort = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            err.println("syncservice-embedded: SYNCSERVICE_EMBEDDED_AMQP_PORT must be a port number, got '" + port + "'");
            return 1;
        }
        // Before anything starts: a signal during start-up then stops it in order too.
        StopSignals stop = StopSignals.handle();
        EmbeddedSyncService embedded = new EmbeddedSyncService(
                new EmbeddedSyncService.Settings(data, amqpPort, password));
        // Any other way the JVM ends still stops the servers; close() is a no-op the second time.
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "shutdown"));
        try {
            embedded.start();
        } catch (EmbeddedStartupException e) {
            err.println("syncservice-embedded: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("syncservice-embedded: cannot start: " + e);
            return 1;
        }
        describe(embedded, password, out);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        embedded.close();
        return 0;
    }

    static void describe(EmbeddedSyncService embedded, String password, PrintStream out) {
        var amqp = embedded.config().amqp();
        Path data = embedded.dataDirectory();
        out.println();
        out.println("syncservice (embedded) is running. Connect a client to:");
        out.println("  AMQP broker     amqp://127.0.0.1:" + embedded.amqpPort() + " (user " + amqp.user()
                + ", password in " + data.resolve("broker.password") + ", virtual host /)");
        out.println("  request queue   " + amqp.requestQueue() + " (Java SDK: SyncClientOptions.requestExpiration(false),"
                + " since Qpid reads AMQP expiration as an absolute time)");
        out.println("  notifications   exchange " + amqp.notificationExchange());
        out.println("  demo user       " + EmbeddedSyncService.DEMO_EMAIL
                + (embedded.demoUserCreated() ? " / " + password
                        : " (from an earlier run; password as it was then, default " + DEFAULT_DEMO_PASSWORD + ")"));
        out.println("  S3 storage      http://127.0.0.1:" + embedded.s3Port() + " bucket "
                + EmbeddedSyncService.BUCKET);
        out.println("  PostgreSQL      " + embedded.jdbcUrl() + " (user postgres, password in "
                + data.resolve("postgres.password") + ")");
        out.println("SIGTERM or Ctrl-C stops it; data stays in the data directory.");
    }
}
