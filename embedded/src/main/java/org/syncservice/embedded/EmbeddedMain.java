package org.syncservice.embedded;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar embedded/target/syncservice-embedded.jar [DATA_DIR]}: runs the whole service on
 * this machine with nothing installed, until Ctrl-C. Data (PostgreSQL and S3 files) stays in
 * DATA_DIR (default {@code target/embedded-data}) between runs. Environment:
 * {@code SYNCSERVICE_EMBEDDED_AMQP_PORT} (default 5673; 0 picks a free port),
 * {@code SYNCSERVICE_DEMO_PASSWORD} (the demo user's password when it is created).
 */
public final class EmbeddedMain {
    static final String DEFAULT_DEMO_PASSWORD = "demo-password";

    private EmbeddedMain() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "target/embedded-data");
        String port = System.getenv().getOrDefault("SYNCSERVICE_EMBEDDED_AMQP_PORT", "5673");
        String password = System.getenv().getOrDefault("SYNCSERVICE_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD);
        EmbeddedSyncService embedded = new EmbeddedSyncService(
                new EmbeddedSyncService.Settings(data, Integer.parseInt(port), password));
        embedded.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            embedded.close();
            stopped.countDown();
        }, "shutdown"));
        describe(embedded, password, System.out);
        stopped.await();
    }

    static void describe(EmbeddedSyncService embedded, String password, PrintStream out) {
        var amqp = embedded.config().amqp();
        out.println();
        out.println("syncservice (embedded) is running. Connect a client to:");
        out.println("  AMQP broker     amqp://127.0.0.1:" + embedded.amqpPort() + " (user " + amqp.user()
                + ", password " + amqp.password().reveal() + ", virtual host /)");
        out.println("  request queue   " + amqp.requestQueue() + " (Java SDK: SyncClientOptions.requestExpiration(false),"
                + " since Qpid reads AMQP expiration as an absolute time)");
        out.println("  notifications   exchange " + amqp.notificationExchange());
        out.println("  demo user       " + EmbeddedSyncService.DEMO_EMAIL
                + (embedded.demoUserCreated() ? " / " + password
                        : " (from an earlier run; password as it was then, default " + DEFAULT_DEMO_PASSWORD + ")"));
        out.println("  S3 storage      http://127.0.0.1:" + embedded.s3Port() + " bucket "
                + EmbeddedSyncService.BUCKET);
        out.println("  PostgreSQL      " + embedded.jdbcUrl() + " (user postgres)");
        out.println("Ctrl-C stops it; data stays in the data directory.");
    }
}
